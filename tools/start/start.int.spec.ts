import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { connect } from 'nats';
import { credentialsInUrl, natsUrlFor, type BusUser } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, freePort, startNats, startRedis, waitFor, waitForOutput, WORKSPACE_ROOT, type TestServer } from '@clp/testing';
import { issueToken } from '../../apps/gateway/src/auth/tokens';
import { READY_HEADLINE } from './ready-block';

// The gateway is being written beside this launcher: until its entry exists, the registry alone
// stands for the services.
const WITH_GATEWAY = existsSync(join(WORKSPACE_ROOT, 'apps/gateway/src/main.ts'));
const SERVICES = [...(WITH_GATEWAY ? ['registry', 'environment', 'notification', 'gateway'] : ['registry', 'environment', 'notification']), 'discovery'];
const READY = new RegExp(READY_HEADLINE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
// The first start builds the web UI (Vite) while the services start.
const START_TIMEOUT_MS = 180_000;
/** Where this suite's launches build and serve the web UI (built by the first, up to date for the others). */
const WEB_DIST_DIR = mkdtempSync(join(tmpdir(), 'clp-start-web-'));
afterAll(() => rmSync(WEB_DIST_DIR, { recursive: true, force: true }));
const JWT_SECRET = 'start-spec-signing-secret-of-enough-length';

interface Launcher {
  child: ChildProcess;
  output(): string;
  /** The exit code once the launcher has exited and its output is read. */
  exited: Promise<number | null>;
  /** The pid of each process it started, by name, as it reported them. */
  pids(): Record<string, number>;
}

/** `npm start` without npm in between, so the signal reaches the launcher itself. */
const launch = (env: Record<string, string>): Launcher => {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'tools/start/start.ts'], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.json'), HOST: '127.0.0.1', WEB_DIST_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const pids = () => Object.fromEntries([...output.matchAll(/^\[start\]\s+(\S+) \(pid (\d+)\):/gm)].map(([, name, pid]) => [name, Number(pid)]));
  return { child, output: () => output, exited, pids };
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The URL of a bus user of the NATS server a launcher started under `dataDir` (its passwords file). */
const asUser = (url: string, dataDir: string, user: BusUser): string =>
  natsUrlFor(url, user, (JSON.parse(readFileSync(join(dataDir, 'nats-users.json'), 'utf8')) as Record<BusUser, string>)[user]);

const natsHasJetStream = async (url: string): Promise<boolean> => {
  const nc = await connect({ ...credentialsInUrl(url), reconnect: false });
  try {
    return (await (await nc.jetstreamManager()).getAccountInfo()).streams > 0;
  } finally {
    await nc.close();
  }
};

const withRedis = async <T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
};

describe('npm start', () => {
  let launcher: Launcher | undefined;
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clp-start-'));
  });

  afterEach(async () => {
    // A failed test leaves nothing running.
    if (launcher && launcher.child.exitCode === null && launcher.child.signalCode === null) {
      Object.values(launcher.pids()).forEach((pid) => alive(pid) && process.kill(pid, 'SIGKILL'));
      launcher.child.kill('SIGKILL');
      await launcher.exited;
    }
    launcher = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'starts NATS and Redis with their data under DATA_DIR when none answers, then every service; SIGTERM stops them all and exits 0',
    async () => {
      const [natsPort, redisPort, port] = [await freePort(), await freePort(), await freePort()];
      launcher = launch({ NATS_URL: `nats://127.0.0.1:${natsPort}`, REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), DATA_DIR: dataDir });
      await waitForOutput(launcher.child, READY, 'npm start', START_TIMEOUT_MS);

      const pids = launcher.pids();
      expect(Object.keys(pids).sort()).toEqual(['nats', 'redis', ...SERVICES].sort());
      expect(launcher.output()).toMatch(new RegExp(`^\\[start\\]\\s+nats \\(pid \\d+\\): nats-server -c ${dataDir}/nats/nats-server.conf$`, 'm'));

      // The bus has a user per service: their passwords (and the config naming them) are readable
      // by their owner only, nobody connects without one, each service runs as its own user, and no
      // password is printed.
      const natsUrl = `nats://127.0.0.1:${natsPort}`;
      expect(statSync(join(dataDir, 'nats-users.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'nats', 'nats-server.conf')).mode & 0o777).toBe(0o600);
      await expect(connect({ servers: natsUrl, reconnect: false })).rejects.toThrow(/Authorization/i);
      expect(launcher.output()).toMatch(/^\[registry\].* listening on nats:\/\/connection-registry:\*\*\*@127\.0\.0\.1:/m);
      expect(launcher.output()).toMatch(/^\[discovery\].* listening on nats:\/\/discovery:\*\*\*@127\.0\.0\.1:/m);
      const passwords = Object.values(JSON.parse(readFileSync(join(dataDir, 'nats-users.json'), 'utf8')) as Record<string, string>);
      passwords.forEach((password) => expect(launcher!.output()).not.toContain(password));

      // JetStream keeps the registry's streams under DATA_DIR/nats; Redis appends to DATA_DIR/redis.
      expect(await natsHasJetStream(asUser(natsUrl, dataDir, 'admin'))).toBe(true);
      expect(readdirSync(join(dataDir, 'nats', 'jetstream', '$G', 'streams')).length).toBeGreaterThan(0);
      expect(await withRedis(`redis://127.0.0.1:${redisPort}`, (redis) => redis.config('GET', 'dir'))).toEqual(['dir', join(dataDir, 'redis')]);
      expect(await withRedis(`redis://127.0.0.1:${redisPort}`, (redis) => redis.config('GET', 'appendonly'))).toEqual(['appendonly', 'yes']);
      expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);

      // The generated credentials master key is kept for the next start, readable by its owner only.
      expect(statSync(join(dataDir, 'credentials-master-key')).mode & 0o777).toBe(0o600);

      expect(launcher.output()).toMatch(/^\[registry\].* listening on nats:\/\//m);
      if (WITH_GATEWAY) {
        expect(launcher.output()).toContain(`http://127.0.0.1:${port}/api/docs`);
        expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
        // No build was there: the launcher built the web UI, which the gateway serves at `/`.
        expect(launcher.output()).toMatch(/^\[start\]\s+building the web UI into /m);
        expect(launcher.output()).toMatch(/^ {2}web UI {5}http:\/\/127\.0\.0\.1:\d+\/ {3}built now in /m);
        const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="root">');
      }

      launcher.child.kill('SIGTERM');
      expect(await launcher.exited).toBe(0);
      Object.entries(pids).forEach(([name, pid]) => expect({ name, alive: alive(pid) }).toEqual({ name, alive: false }));
      expect(await Promise.all([natsPort, redisPort, port].map(listening))).toEqual([false, false, false]);
    },
    START_TIMEOUT_MS + 30_000,
  );

  it(
    'keeps the credentials master key and the read model across restarts',
    async () => {
      const env = {
        NATS_URL: `nats://127.0.0.1:${await freePort()}`,
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        PORT: String(await freePort()),
        DATA_DIR: dataDir,
      };
      const keys: string[] = [];
      const busUsers: string[] = [];
      for (const run of [1, 2]) {
        launcher = launch(env);
        await waitForOutput(launcher.child, READY, 'npm start', START_TIMEOUT_MS);
        expect({ run, generated: /generated the credentials master key/.test(launcher.output()) }).toEqual({ run, generated: run === 1 });
        // A build newer than every source is not built again.
        if (run === 2 && WITH_GATEWAY) {
          expect(launcher.output()).not.toContain('building the web UI');
          expect(launcher.output()).toMatch(/^ {2}web UI {5}\S+ {3}up to date in /m);
        }
        keys.push(readFileSync(join(dataDir, 'credentials-master-key'), 'utf8'));
        busUsers.push(readFileSync(join(dataDir, 'nats-users.json'), 'utf8'));
        if (run === 1) await withRedis(env.REDIS_URL, (redis) => redis.set('start-spec:marker', 'kept'));
        else expect(await withRedis(env.REDIS_URL, (redis) => redis.get('start-spec:marker'))).toBe('kept');
        launcher.child.kill('SIGTERM');
        expect(await launcher.exited).toBe(0);
      }
      expect(keys[1]).toBe(keys[0]);
      // The bus's users keep their passwords too (the services of a second launcher connect with them).
      expect(busUsers[1]).toBe(busUsers[0]);
    },
    2 * START_TIMEOUT_MS,
  );

  it(
    'restarts the nats-server it started when it is killed; the services reconnect and keep running',
    async () => {
      const [natsPort, redisPort, port] = [await freePort(), await freePort(), await freePort()];
      launcher = launch({ NATS_URL: `nats://127.0.0.1:${natsPort}`, REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), DATA_DIR: dataDir });
      await waitForOutput(launcher.child, READY, 'npm start', START_TIMEOUT_MS);
      const before = launcher.pids();

      process.kill(before.nats, 'SIGKILL');
      const back = await waitFor(() => launcher!.output().match(/^\[start\]\s+nats is back \(pid (\d+)\)$/m), { timeoutMs: START_TIMEOUT_MS, message: 'nats back' });
      expect(launcher.output()).toMatch(/^\[start\]\s+nats was killed by SIGKILL; restarting in 0\.5 s$/m);
      const after = launcher.pids();
      expect(after.nats).toBe(Number(back[1]));
      // JetStream kept its streams under DATA_DIR/nats.
      expect(await natsHasJetStream(asUser(`nats://127.0.0.1:${natsPort}`, dataDir, 'admin'))).toBe(true);
      if (WITH_GATEWAY) {
        await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the gateway ready again' });
      }
      const notNats = (pids: Record<string, number>) => Object.entries(pids).filter(([name]) => name !== 'nats');
      expect(notNats(after)).toEqual(notNats(before));
      notNats(before).forEach(([name, pid]) => expect({ name, alive: alive(pid) }).toEqual({ name, alive: true }));
      expect(launcher.output().match(/restarting in/g)).toHaveLength(1);

      launcher.child.kill('SIGTERM');
      expect(await launcher.exited).toBe(0);
      Object.entries(after).forEach(([name, pid]) => expect({ name, alive: alive(pid) }).toEqual({ name, alive: false }));
    },
    2 * START_TIMEOUT_MS,
  );

  describe('with NATS and Redis already running', () => {
    let nats: TestServer;
    let redis: TestServer;

    beforeAll(async () => {
      [nats, redis] = await Promise.all([startNats(), startRedis()]);
    });

    afterAll(async () => {
      await Promise.all([nats?.stop(), redis?.stop()]);
    });

    it(
      'reuses them and leaves them running when it stops',
      async () => {
        const port = await freePort();
        launcher = launch({ NATS_URL: nats.url, REDIS_URL: redis.url, PORT: String(port), DATA_DIR: dataDir });
        await waitForOutput(launcher.child, READY, 'npm start', START_TIMEOUT_MS);

        expect(Object.keys(launcher.pids()).sort()).toEqual([...SERVICES].sort());
        expect(launcher.output()).toContain(`nats: reusing the server at ${nats.url}`);
        expect(launcher.output()).toContain(`redis: reusing the server at ${redis.url}`);
        expect(existsSync(join(dataDir, 'nats'))).toBe(false);

        launcher.child.kill('SIGTERM');
        expect(await launcher.exited).toBe(0);
        expect(await natsHasJetStream(nats.url)).toBe(true);
        expect(await withRedis(redis.url, (client) => client.ping())).toBe('PONG');
      },
      START_TIMEOUT_MS + 30_000,
    );

    it(
      'restarts each service killed with SIGKILL while the others run on, and still stops them all on SIGTERM',
      async () => {
        const port = await freePort();
        launcher = launch({ NATS_URL: nats.url, REDIS_URL: redis.url, PORT: String(port), DATA_DIR: dataDir, AUTH_JWT_SECRET: JWT_SECRET });
        await waitForOutput(launcher.child, READY, 'npm start', START_TIMEOUT_MS);
        const without = (pids: Record<string, number>, name: string) => Object.entries(pids).filter(([other]) => other !== name);

        // Each in turn: its first death, so the first back-off.
        for (const name of SERVICES) {
          const before = launcher.pids();
          process.kill(before[name], 'SIGKILL');
          const back = await waitFor(() => launcher!.output().match(new RegExp(`^\\[start\\]\\s+${name} is back \\(pid (\\d+)\\)$`, 'm')), {
            timeoutMs: START_TIMEOUT_MS,
            message: `${name} back`,
          });
          expect(launcher.output()).toMatch(new RegExp(`^\\[start\\]\\s+${name} was killed by SIGKILL; restarting in 0\\.5 s$`, 'm'));
          const after = launcher.pids();
          expect({ name, pid: after[name] }).toEqual({ name, pid: Number(back[1]) });
          expect(after[name]).not.toBe(before[name]);
          // Nobody else was stopped or started again.
          expect(without(after, name)).toEqual(without(before, name));
          Object.entries(after).forEach(([other, pid]) => expect({ other, alive: alive(pid) }).toEqual({ other, alive: true }));
        }
        const after = launcher.pids();

        if (WITH_GATEWAY) {
          // The restarted gateway and registry take commands: a connection created is listed (once its read model has it).
          const headers = { authorization: `Bearer ${issueToken(JWT_SECRET, { org: 'org-start', user: 'sam', role: 'admin' })}`, 'content-type': 'application/json' };
          const body = JSON.stringify({ kind: 'prometheus', name: 'after the crash', metadata: { url: 'http://127.0.0.1:9/' } });
          const created = await waitFor(
            async () => {
              const answer = await fetch(`http://127.0.0.1:${port}/api/integrations/connections`, { method: 'POST', headers, body });
              return answer.status === 201 ? ((await answer.json()) as { id: string }) : undefined;
            },
            { timeoutMs: CONDITION_TIMEOUT_MS, message: 'a connection created after the restart' },
          );
          await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/integrations/connections/${created.id}`, { headers })).status === 200, {
            timeoutMs: CONDITION_TIMEOUT_MS,
            message: 'the new connection read back',
          });
        }

        launcher.child.kill('SIGTERM');
        expect(await launcher.exited).toBe(0);
        Object.entries(after).forEach(([name, pid]) => expect({ name, alive: alive(pid) }).toEqual({ name, alive: false }));
        // Only the killed services were restarted, once each; stopping restarted nothing.
        expect(launcher.output().match(/restarting in/g)).toHaveLength(SERVICES.length);
      },
      (SERVICES.length + 2) * START_TIMEOUT_MS,
    );

    it(
      'stops everything and exits 1 with the last lines of a service that dies before the system is up',
      async () => {
        // Not a key: the registry refuses to start (a restart would only repeat that).
        launcher = launch({ NATS_URL: nats.url, REDIS_URL: redis.url, PORT: String(await freePort()), DATA_DIR: dataDir, CREDENTIALS_MASTER_KEY: 'not-a-key' });

        expect(await launcher.exited).toBe(1);
        expect(launcher.output()).toMatch(/(registry|discovery) (exited with code \d+|was killed by \w+) (unexpectedly|before it was ready)/);
        const lastLines = launcher.output().slice(launcher.output().search(/(registry|discovery)'s last lines:/));
        expect(lastLines).toMatch(/^\[start\]\s+ {2}.*CREDENTIALS_MASTER_KEY must be 32 bytes/m);
        expect(launcher.output()).not.toContain('restarting in');
        expect(launcher.output()).not.toContain(READY_HEADLINE);
        Object.entries(launcher.pids()).forEach(([name, pid]) => expect({ name, alive: alive(pid) }).toEqual({ name, alive: false }));
        expect(await natsHasJetStream(nats.url)).toBe(true);
      },
      START_TIMEOUT_MS + 30_000,
    );

    it(
      'refuses a NATS server without JetStream, and stops the Redis it started',
      async () => {
        const natsPort = await freePort();
        const plain = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-a', '127.0.0.1', '-p', String(natsPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          await waitForOutput(plain, /Server is ready/, 'nats-server without JetStream');
          const redisPort = await freePort();
          launcher = launch({ NATS_URL: `nats://127.0.0.1:${natsPort}`, REDIS_URL: `redis://127.0.0.1:${redisPort}`, DATA_DIR: dataDir });

          expect(await launcher.exited).toBe(1);
          expect(launcher.output()).toContain(`NATS at nats://127.0.0.1:${natsPort} answers but without JetStream`);
          expect(await listening(redisPort)).toBe(false);
        } finally {
          plain.kill('SIGKILL');
        }
      },
      60_000,
    );
  });

  it('says how to install a missing server and exits 1', async () => {
    launcher = launch({
      NATS_URL: `nats://127.0.0.1:${await freePort()}`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      NATS_SERVER_BIN: 'nats-server-not-installed',
      DATA_DIR: dataDir,
    });
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toContain('nats-server-not-installed is not installed');
    expect(launcher.output()).toContain('sudo apt-get install -y nats-server');
    // Redis was started meanwhile, and stopped again.
    expect(launcher.pids().redis).toBeDefined();
    expect(alive(launcher.pids().redis)).toBe(false);
  }, 60_000);
});
