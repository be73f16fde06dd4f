// The SQL history, newest first, kept in localStorage so it survives a reload.
const KEY = 'sochdb-studio.sql-history';
const MAX = 30;

export function loadHistory(): readonly string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Puts `sql` first (once) and stores the list; returns it. */
export function remember(sql: string): readonly string[] {
  const next = [sql, ...loadHistory().filter((s) => s !== sql)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage full or disabled: the history just lasts this page.
  }
  return next;
}
