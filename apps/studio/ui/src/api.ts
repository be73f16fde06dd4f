// The one way the UI talks to the studio: JSON over /api, same origin. The token travels in the
// HttpOnly cookie the first page load set, so no script ever sees it.

/** The API's error body (see the package README, "Errors"). */
export interface ErrorInfo {
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;
  readonly remediation?: string;
}

/** A failed request, carrying the API's error as it was sent. */
export class ApiError extends Error {
  readonly status: number;
  readonly info: ErrorInfo;
  constructor(status: number, info: ErrorInfo) {
    super(info.message);
    this.status = status;
    this.info = info;
  }
}

function isErrorBody(body: unknown): body is { readonly error: ErrorInfo } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

/** `path`'s query string from `params`, leaving out undefined and empty values. */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Calls the API: `GET` unless `method` says otherwise, `body` sent as JSON; throws ApiError. */
export async function api<T>(path: string, options: { readonly method?: string; readonly body?: unknown } = {}): Promise<T> {
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'same-origin' };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`/api${path}`, init);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      isErrorBody(body) ? body.error : { code: 9000, name: 'SochDBError', message: `${response.status} ${response.statusText}` },
    );
  }
  return body as T;
}

/** `error` as an ErrorInfo, whatever was thrown. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return error.info;
  return { code: 9000, name: 'Error', message: error instanceof Error ? error.message : String(error) };
}
