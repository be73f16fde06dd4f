// chart.js with only the pieces the studio draws (scatter and line charts). Imported dynamically
// by the pages that chart, so it is a chunk of its own. The registration happens in a function,
// not at module level: the package says `sideEffects: false`, so a bare top-level call may be
// dropped by the bundler.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';

let registered = false;

/** chart.js's Chart, with the controllers, elements and scales the studio uses registered. */
export function chartClass(): typeof Chart {
  if (!registered) {
    Chart.register(ScatterController, LineController, PointElement, LineElement, LinearScale, CategoryScale, Legend, Tooltip);
    registered = true;
  }
  return Chart;
}
