// Progress bars on stderr, so stdout stays the command's result (an export's data, a --json
// document). A bar is drawn only for a person: not with --quiet, and not when stderr is a file
// or a pipe, where cli-progress would write a frame per update into a log.
import cliProgress from 'cli-progress';

/** A bar that may be drawn or not; callers update it the same either way. */
export interface Progress {
  /** Whether anything is drawn: lets a caller skip work done only for the bar (counting a total). */
  readonly active: boolean;
  /** Starts (or restarts) with a known total; values are in `unit`. */
  start(total: number): void;
  update(value: number): void;
  stop(): void;
}

const silent: Progress = { active: false, start: () => undefined, update: () => undefined, stop: () => undefined };

/** A bar labelled `label` counting `unit` (e.g. 'keys', 'bytes'), or a silent one (see the file comment). */
export function progressBar(label: string, unit: string, options: { readonly quiet?: boolean }): Progress {
  if (options.quiet || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}`, hideCursor: false, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    active: true,
    start(total) {
      if (started) bar.setTotal(total);
      else bar.start(total, 0);
      started = true;
    },
    update(value) {
      if (!started) this.start(Math.max(value, 1));
      // A total that was a guess (backup knows its key count only roughly) grows rather than overflowing.
      if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
