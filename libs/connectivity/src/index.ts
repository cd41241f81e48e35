export { testConnectivity } from './test-connectivity';
export { CHECK_KINDS, DEFAULT_TIMEOUT_MS } from './target';
export type { CheckKind, ConnectivityTarget } from './target';
