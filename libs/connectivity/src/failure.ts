/** A protocol-level failure whose message is already fit to show (e.g. `HTTP 503 from /-/ready`). */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';

  /** Facts learned before the failure (Grafana's database state), reported with it. */
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name could not be resolved',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body not received in time',
  HPE_INVALID_CONSTANT: 'not an HTTP server',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed server certificate (give its CA or skip verification)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain (give its CA or skip verification)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: server certificate not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: server certificate not signed by a trusted CA',
  CERT_HAS_EXPIRED: 'TLS: server certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: server certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS: the server does not speak TLS on this port',
  ERR_OSSL_PEM_NO_START_LINE: 'TLS: client certificate, key or CA is not valid PEM',
  ERR_OSSL_X509_KEY_VALUES_MISMATCH: 'TLS: client key does not match the client certificate',
};

const codeOf = (error: unknown): string | undefined => {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in BY_CODE) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
};

/**
 * A short reason for a failed test. Unknown errors keep their message (redacted by the caller);
 * the timeout wins over whatever the abort made the request throw.
 */
export const describeFailure = (error: unknown, timedOut: boolean, timeoutMs: number): string => {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (error instanceof CheckFailed) return error.message;
  const code = codeOf(error);
  if (code) return BY_CODE[code] ?? code;
  // OpenSSL reports PEM and TLS alert problems under many codes; the message names the problem.
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 200) || 'request failed';
};
