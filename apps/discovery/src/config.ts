/** Discovery's settings, from the environment (the table in docs/discovery.md). */
export interface DiscoveryConfig {
  natsUrl: string;
  /** Names this replica in NATS connection lists and logs. */
  instanceName: string;
  /** `kind=url` pairs found at start-up (`prometheus=http://127.0.0.1:9090,grafana=…`). */
  targets: Array<{ kind: string; url: string }>;
  /** The organization configured targets belong to. */
  organization: string;
  connectivityTimeoutMs: number;
  /** CREDENTIALS_MASTER_KEY: the vault's key, to read the secrets connectivity tests need. */
  credentialsMasterKey?: string;
  production: boolean;
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return value;
};

/** `prometheus=http://a:9090,grafana=http://b:3000`; a malformed entry stops the start with its reason. */
export const parseTargets = (raw: string | undefined): DiscoveryConfig['targets'] =>
  (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const [kind, url] = [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
      if (at <= 0 || !url) throw new Error(`DISCOVERY_TARGETS: "${entry}" is not kind=url`);
      return { kind, url };
    });

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): DiscoveryConfig => ({
  natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
  instanceName: env.INSTANCE_NAME || `discovery-${process.pid}`,
  targets: parseTargets(env.DISCOVERY_TARGETS),
  organization: env.DISCOVERY_ORGANIZATION || 'default',
  connectivityTimeoutMs: integer(env, 'CONNECTIVITY_TIMEOUT_MS', 5000, 1),
  credentialsMasterKey: env.CREDENTIALS_MASTER_KEY || undefined,
  production: env.NODE_ENV === 'production',
});
