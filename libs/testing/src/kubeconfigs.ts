/** Kubeconfigs for tests, written as kubectl writes them (YAML), with secrets easy to search for. */
export const KUBECONFIG_TOKEN = 'kubeconfig-token-5d1e9a7c3b';
export const KUBECONFIG_PASSWORD = 'kubeconfig-password-8f2c4e6a';
export const KUBECONFIG_CLIENT_KEY_DATA = Buffer.from('-----BEGIN PRIVATE KEY-----\nkubeconfig-client-key-4a9b\n-----END PRIVATE KEY-----\n').toString('base64');
export const KUBECONFIG_CLIENT_CERT_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nkubeconfig-client-cert-7e3d\n-----END CERTIFICATE-----\n').toString('base64');
export const KUBECONFIG_CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nkubeconfig-ca-2c8f\n-----END CERTIFICATE-----\n').toString('base64');

/** Every secret value of `kubeconfigOf`, to assert none comes back. */
export const KUBECONFIG_SECRETS = [KUBECONFIG_TOKEN, KUBECONFIG_PASSWORD, KUBECONFIG_CLIENT_KEY_DATA, KUBECONFIG_CLIENT_CERT_DATA];

export interface KubeconfigOptions {
  server?: string;
  /** Certificate authority of the cluster `dev` (base64 PEM, as kubectl writes it). */
  caData?: string;
  token?: string;
}

/**
 * Three clusters and four contexts: `dev-admin` and `dev-viewer` reach the same cluster as two
 * users (token, client certificate), `staging` uses basic auth and skips TLS verification.
 */
export const kubeconfigOf = ({ server = 'https://dev.example.test:6443', caData = KUBECONFIG_CA_DATA, token = KUBECONFIG_TOKEN }: KubeconfigOptions = {}): string => `apiVersion: v1
kind: Config
current-context: dev-admin
clusters:
- name: dev
  cluster:
    server: ${server}
    certificate-authority-data: ${caData}
- name: staging
  cluster:
    server: https://staging.example.test:6443
    insecure-skip-tls-verify: true
contexts:
- name: dev-admin
  context:
    cluster: dev
    user: dev-admin
    namespace: default
- name: dev-viewer
  context:
    cluster: dev
    user: dev-viewer
- name: staging
  context:
    cluster: staging
    user: staging-basic
users:
- name: dev-admin
  user:
    token: ${token}
- name: dev-viewer
  user:
    client-certificate-data: ${KUBECONFIG_CLIENT_CERT_DATA}
    client-key-data: ${KUBECONFIG_CLIENT_KEY_DATA}
- name: staging-basic
  user:
    username: ops
    password: ${KUBECONFIG_PASSWORD}
`;

/** A kubeconfig of one context; `user` is the user entry's body in YAML flow style. */
export const oneContext = (user: string, server = 'https://one.example.test:6443'): string => `apiVersion: v1
kind: Config
clusters:
- name: one
  cluster: {server: "${server}"}
contexts:
- name: one
  context: {cluster: one, user: one}
users:
- name: one
  user: ${user}
`;

/** Malformed kubeconfigs with the field each 400 must name. */
export const MALFORMED_KUBECONFIGS: Array<{ name: string; kubeconfig: string; field: string; reason: RegExp }> = [
  { name: 'not YAML', kubeconfig: `clusters: [ {name: "x", token: "${KUBECONFIG_TOKEN}"`, field: 'kubeconfig', reason: /not valid YAML \(line \d+, column \d+\)/ },
  { name: 'not a mapping', kubeconfig: `- ${KUBECONFIG_TOKEN}\n- b\n`, field: 'kubeconfig', reason: /not a kubeconfig/ },
  { name: 'no contexts', kubeconfig: kubeconfigOf().replace(/contexts:\n(- .*\n( {2}.*\n)*)+/, 'contexts: []\n'), field: 'contexts', reason: /no contexts/ },
  { name: 'a missing cluster', kubeconfig: kubeconfigOf().replace('    cluster: staging\n', '    cluster: prod\n'), field: 'contexts[staging].cluster', reason: /the cluster "prod", which the kubeconfig does not define/ },
  { name: 'a missing user', kubeconfig: kubeconfigOf().replace('    user: dev-viewer\n', '    user: nobody\n'), field: 'contexts[dev-viewer].user', reason: /the user "nobody", which the kubeconfig does not define/ },
];
