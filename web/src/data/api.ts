// The one way the web app talks to the server: JSON over /api, with the session's CSRF token on every
// change, and the server's error shape turned into an ApiError the views can show next to fields.

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** What went wrong, in words a person reads: "Password must be at least 10 characters long." */
  get summary(): string {
    if (this.details.length === 0) return this.message;
    return this.details
      .map((d) => {
        const name = (d.field.split('/').pop() ?? d.field).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
        return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${d.message}.`;
      })
      .join(' ');
  }

  /** The message for one field of the body, e.g. `fieldMessage('password')`. */
  fieldMessage(name: string): string | undefined {
    return this.details.find((d) => d.field === `/body/${name}`)?.message;
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, credentials: 'same-origin' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => null)) as
    | (T & { code?: string; message?: string; details?: FieldProblem[] })
    | null;
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('ow-signed-out'));
    throw new ApiError(response.status, data?.code ?? 'HTTP_' + response.status, data?.message ?? response.statusText, data?.details ?? []);
  }
  return data as T;
}

/** A query string from the defined values of `params`. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
