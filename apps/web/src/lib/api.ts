import type { ErrorBody } from '@clp/contracts';

/** An answer of the API that is not 2xx: the envelope's code and message (design.md §10), as the page shows them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** One request of the REST API as `token`'s bearer; the error envelope becomes an ApiError. */
export const request = <T>(token: string, method: string, path: string, body?: unknown): Promise<T> =>
  send<T>(path, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** A request without a token: what the API answers before sign-in (the dev login). */
export const anonymous = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  send<T>(path, {
    method,
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** A file as the multipart field `field` (the kubeconfig upload); the browser sets the boundary. */
export const upload = <T>(token: string, path: string, field: string, file: Blob, fileName: string): Promise<T> => {
  const form = new FormData();
  form.append(field, file, fileName);
  return send<T>(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, body: form });
};

const send = async <T>(path: string, init: RequestInit): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'unavailable', 'the gateway cannot be reached');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: ErrorBody } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `HTTP ${response.status}`, error?.details ?? {});
  }
  return parsed as T;
};

/** The message a page shows for a failed request. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
