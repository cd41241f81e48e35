export const CHECK_KINDS = ['kubernetes', 'prometheus', 'grafana', 'container-registry', 'http'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What to test and how to authenticate (design.md §6.4). */
export interface ConnectivityTarget {
  check: CheckKind;
  /** The server or base URL; userinfo in it is used as basic auth and never reported. */
  url: string;
  /**
   * The decrypted secret fields: `token` or `api_key` (bearer), `username` + `password` (basic),
   * `client_certificate` + `client_key` and `certificate_authority` (PEM, or base64 PEM as in a
   * kubeconfig's `*-data` fields).
   */
  credential?: Record<string, string>;
  insecure_skip_tls_verify?: boolean;
  /** The whole test, every request included; 5000 by default. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
