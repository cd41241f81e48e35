import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitForOutput } from './servers';

/** The workspace root, where `tsconfig.json` and the apps are. */
export const WORKSPACE_ROOT = join(__dirname, '../../..');

/** One of the platform's own services, started from its TypeScript entry point as a separate process. */
export interface RunningService {
  readonly name: string;
  readonly pid: number;
  /** The last lines it wrote to stdout and stderr, for a failing test's message. */
  output(): string;
  /** SIGTERM, as an orchestrator stops it; resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

export interface ServiceSpec {
  name: string;
  /** Path of the entry point from the workspace root, e.g. `apps/connection-registry/src/main.ts`. */
  entry: string;
  env: Record<string, string>;
  /** Printed once the service serves. */
  ready: RegExp;
  timeoutMs?: number;
}

/**
 * Node flags the services run with, here and wherever they are deployed: a young generation large
 * enough for a service's steady stream of short-lived messages (the default makes the registry's
 * discovery intake spend about a sixth of its time in the scavenger).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * How long a test's `beforeAll` that starts servers and services may take, and a test may wait for
 * a condition that depends on the machine's speed: generous, since the suite runs on busy machines
 * too. A test that needs more than this is a benchmark.
 */
export const SETUP_TIMEOUT_MS = 120_000;

/** How long a test waits for a condition (an awaited `waitFor`) that comes sooner on a faster machine. */
export const CONDITION_TIMEOUT_MS = 30_000;

const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

const KEEP_OUTPUT = 20_000;

/** With `SERVICE_CPU_PROFILE_DIR` set, each service writes a V8 CPU profile there when it stops. */
const profileFlags = (dir = process.env.SERVICE_CPU_PROFILE_DIR): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

/** Starts a service as production runs it (its own process, configured by environment), through ts-node. */
export const startService = async (spec: ServiceSpec): Promise<RunningService> => {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...profileFlags(), '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', spec.entry], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.json'), ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const halt = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await waitForOutput(child, spec.ready, spec.name, spec.timeoutMs ?? 60_000);
  } catch (error) {
    await halt('SIGKILL');
    throw error;
  }
  return { name: spec.name, pid: child.pid as number, output: () => output, stop: () => halt('SIGTERM'), kill: () => halt('SIGKILL') };
};
