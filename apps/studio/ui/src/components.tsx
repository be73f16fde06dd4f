// Pieces every page uses: an error box (with SQL line/column), a value shown as JSON/text/hex.
import { useState } from 'preact/hooks';
import type { ErrorInfo } from './api.js';
import type { ValueView } from './types.js';

/** An API error as the user sees it: class, code, message, and where (field or line:column). */
export function ErrorBox({ error }: { readonly error: ErrorInfo | undefined }) {
  if (error === undefined) return null;
  const where = error.line !== undefined ? `line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`}` : error.field;
  return (
    <div class="error" role="alert">
      <strong>
        {error.name} {error.code}
      </strong>
      {where === undefined ? null : <span class="where"> at {where}</span>}: {error.message}
      {error.remediation === undefined ? null : <div class="remediation">{error.remediation}</div>}
    </div>
  );
}

type ValueMode = 'json' | 'text' | 'hex';

/** A value with a switch between its JSON, text and hex forms (only those it has). */
export function ValueViewer({ value }: { readonly value: ValueView }) {
  const modes: ValueMode[] = [...(value.json !== undefined ? (['json'] as const) : []), ...(value.text !== undefined ? (['text'] as const) : []), 'hex'];
  const [mode, setMode] = useState<ValueMode>(modes[0] ?? 'hex');
  const shown = modes.includes(mode) ? mode : (modes[0] ?? 'hex');
  const body = shown === 'json' ? JSON.stringify(value.json, null, 2) : shown === 'text' ? (value.text ?? '') : (value.hex.match(/.{1,2}/g) ?? []).join(' ');
  return (
    <div class="value">
      <div class="tabs">
        {modes.map((m) => (
          <button type="button" class={m === shown ? 'active' : ''} onClick={() => setMode(m)} key={m}>
            {m.toUpperCase()}
          </button>
        ))}
        <span class="muted">
          {value.bytes} bytes{value.truncated === true ? ' (start shown)' : ''}
        </span>
      </div>
      <pre>{body}</pre>
    </div>
  );
}

/** A number with thousands separators. */
export function formatNumber(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value).toLocaleString('en-US');
  return typeof value === 'string' || typeof value === 'boolean' ? String(value) : '–';
}

/** A text field of a submitted form ('' when absent). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** A byte count as B/KiB/MiB/GiB. */
export function formatBytes(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = n;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${units[unit] ?? 'B'}`;
}
