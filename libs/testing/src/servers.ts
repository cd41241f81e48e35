import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real server process started for a test run, in a temporary directory, on a free port. */
export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops the process (SIGTERM) and keeps its data directory, so `start()` brings it back with its data. */
  stopProcess(): Promise<void>;
  /** Kills the process without a chance to clean up (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the process again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops the process and removes its data. */
  stop(): Promise<void>;
}

interface ServerSpec {
  name: string;
  binary: string;
  install: string;
  args(port: number, dir: string): string[];
  url(port: number): string;
  /** Resolves once the server answers. */
  ready(child: ChildProcess, port: number): Promise<void>;
  /** Every chunk of the server's output, for a test that watches its log. */
  onOutput?(text: string): void;
}

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const ensureBinary = (spec: ServerSpec): void => {
  const found = spawnSync('sh', ['-c', `command -v ${spec.binary}`]).status === 0;
  if (!found) throw new Error(`${spec.binary} is not installed: ${spec.install}`);
};

/** Resolves when `pattern` appears in the child's output; rejects if it exits first or takes too long. */
export const waitForOutput = (child: ChildProcess, pattern: RegExp, name: string, timeoutMs = 20_000): Promise<void> =>
  new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => finish(new Error(`${name} not ready after ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`${name} exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

const startServer = async (spec: ServerSpec): Promise<TestServer> => {
  ensureBinary(spec);
  const dir = mkdtempSync(join(tmpdir(), `clp-${spec.name}-`));
  let port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const proc = spawn(spec.binary, spec.args(port, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    child = proc;
    // Keep the pipes drained after readiness, or a chatty server blocks on a full pipe.
    proc.stdout.resume();
    proc.stderr.resume();
    if (spec.onOutput) [proc.stdout, proc.stderr].forEach((stream) => stream.on('data', (chunk: Buffer) => spec.onOutput?.(chunk.toString())));
    await spec.ready(proc, port);
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill(signal);
    await exited(proc);
  };

  // Another process may take the free port between the probe and the bind: try a few ports.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      await halt('SIGKILL');
      if (attempt === 3) throw error;
      port = await freePort();
    }
  }

  return {
    port,
    url: spec.url(port),
    dir,
    stopProcess: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    start: launch,
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/**
 * `nats-server -js` with its JetStream store in a temporary directory: open to everyone, or run
 * from the configuration `config` renders for the port and store directory (users, permissions).
 */
export const startNats = (options: { config?: (server: { port: number; storeDir: string }) => string; onOutput?: (text: string) => void } = {}): Promise<TestServer> =>
  startServer({
    name: 'nats',
    binary: process.env.NATS_SERVER_BIN ?? 'nats-server',
    install: 'apt-get install -y nats-server',
    args: (port, dir) => {
      const storeDir = join(dir, 'jetstream');
      if (!options.config) return ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
      const file = join(dir, 'nats.conf');
      writeFileSync(file, options.config({ port, storeDir }), { mode: 0o600 });
      return ['-c', file];
    },
    url: (port) => `nats://127.0.0.1:${port}`,
    ready: (child) => waitForOutput(child, /Server is ready/, 'nats-server'),
    onOutput: options.onOutput,
  });

/** `redis-server` without persistence, as design.md §5 allows. */
export const startRedis = (): Promise<TestServer> =>
  startServer({
    name: 'redis',
    binary: process.env.REDIS_SERVER_BIN ?? 'redis-server',
    install: 'apt-get install -y redis-server',
    args: (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    url: (port) => `redis://127.0.0.1:${port}`,
    ready: (child) => waitForOutput(child, /Ready to accept connections/, 'redis-server'),
  });

const waitForHttp = async (
  url: string,
  name: string,
  child: ChildProcess,
  timeoutMs = 30_000,
  isReady: (response: Response) => boolean = (response) => response.ok,
  headers: Record<string, string> = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready`);
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (isReady(response)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready at ${url} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A real Prometheus (Debian's `prometheus` package) scraping nothing but itself. */
/** A real Prometheus; with `basicAuth` (a username, its password and the password's bcrypt) every request needs it. */
export const startPrometheus = (options: { basicAuth?: { username: string; password: string; bcrypt: string } } = {}): Promise<TestServer> =>
  startServer({
    name: 'prometheus',
    binary: process.env.PROMETHEUS_BIN ?? 'prometheus',
    install: 'apt-get install -y prometheus',
    args: (port, dir) => {
      const config = join(dir, 'prometheus.yml');
      writeFileSync(config, `global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
      const web = join(dir, 'web.yml');
      const auth = options.basicAuth;
      if (auth) writeFileSync(web, `basic_auth_users:\n  ${auth.username}: '${auth.bcrypt}'\n`);
      return [
        `--config.file=${config}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        ...(auth ? [`--web.config.file=${web}`] : []),
      ];
    },
    url: (port) => `http://127.0.0.1:${port}`,
    ready: (child, port) => {
      const auth = options.basicAuth;
      const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
      return waitForHttp(`http://127.0.0.1:${port}/-/ready`, 'prometheus', child, undefined, undefined, headers);
    },
  });

/**
 * A real container registry (Debian's `docker-registry`, the CNCF distribution) storing in its
 * temporary directory. With `htpasswd` (lines of `user:bcrypt-hash`) it requires basic auth, and
 * is ready when `/v2/` challenges; without, when `/v2/` answers 200.
 */
export const startRegistry = (options: { htpasswd?: string } = {}): Promise<TestServer> =>
  startServer({
    name: 'registry',
    binary: process.env.DOCKER_REGISTRY_BIN ?? 'docker-registry',
    install: 'apt-get install -y docker-registry',
    args: (port, dir) => {
      const config = join(dir, 'config.yml');
      const auth = options.htpasswd === undefined ? '' : `auth:\n  htpasswd:\n    realm: test\n    path: ${join(dir, 'htpasswd')}\n`;
      if (options.htpasswd !== undefined) writeFileSync(join(dir, 'htpasswd'), `${options.htpasswd}\n`);
      writeFileSync(
        config,
        `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: test-only\n${auth}`,
      );
      return ['serve', config];
    },
    url: (port) => `http://127.0.0.1:${port}`,
    ready: (child, port) =>
      waitForHttp(`http://127.0.0.1:${port}/v2/`, 'docker-registry', child, 30_000, (response) =>
        response.status === (options.htpasswd === undefined ? 200 : 401),
      ),
  });

/**
 * Prism (`@stoplight/prism-cli`) as a validating proxy: forwards every request to `upstream`
 * unchanged and reports, in each response's `sl-violations` header, where the request or the
 * response disagrees with the OpenAPI `document` (JSON text).
 */
export const startValidatingProxy = (document: string, upstream: string): Promise<TestServer> =>
  startServer({
    name: 'prism',
    binary: process.execPath,
    install: 'npm ci (it is a devDependency)',
    args: (port, dir) => {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, document);
      return [require.resolve('@stoplight/prism-cli/dist/index.js'), 'proxy', file, upstream, '--port', String(port), '--errors=false', '--verboseLevel', 'info'];
    },
    url: (port) => `http://127.0.0.1:${port}`,
    ready: (child) => waitForOutput(child, /Prism is listening/, 'prism', 60_000),
  });
