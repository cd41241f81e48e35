import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { LaunchError } from './config';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

/** Services stop before the servers they need. */
export type Role = 'service' | 'server';

/** A process the launcher started, its output on the launcher's stdout with `[name]` before each line. */
export interface Child {
  readonly name: string;
  readonly role: Role;
  readonly pid: number | undefined;
  /** Settles once the process has exited and its output is read. */
  readonly exited: Promise<ExitStatus>;
  /** The first output line matching `pattern` (colours stripped); rejects if the process exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Its last lines of output, colours stripped. */
  lastLines(): string[];
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

const KEEP_LINES = 40;
let prefixWidth = 0;
const running = new Set<Child>();
let closed = false;

/** Aligns every prefix to the longest of these names. */
export const reservePrefix = (names: string[]): void => {
  prefixWidth = Math.max(prefixWidth, ...names.map((name) => name.length));
};

export const prefixed = (name: string, line: string): string => `[${name}]${' '.repeat(Math.max(0, prefixWidth - name.length))} ${line}`;

export const say = (line: string): void => void process.stdout.write(`${prefixed('start', line)}\n`);

/** The processes started here that are still running. */
export const runningChildren = (role: Role): Child[] => [...running].filter((child) => child.role === role);

/** From now on nothing more is launched: the launcher is stopping. */
export const closeLaunches = (): void => {
  closed = true;
};

export const launch = (name: string, role: Role, command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Child => {
  if (closed) throw new LaunchError(`not starting ${name}: stopping`);
  // Its own process group: Ctrl-C in the terminal reaches the launcher only, which stops the
  // services before the servers they need.
  const proc = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let status: ExitStatus | undefined;

  const read = (stream: Readable) =>
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      process.stdout.write(`${prefixed(name, line)}\n`);
      const plain = stripVTControlCharacters(line);
      lines.push(plain);
      if (lines.length > KEEP_LINES) lines.shift();
      watchers.forEach((watch) => watch(plain));
    });
  read(proc.stdout);
  read(proc.stderr);

  const exited = new Promise<ExitStatus>((resolve) => {
    const settle = (result: ExitStatus) => {
      status ??= result;
      running.delete(child);
      resolve(status);
    };
    proc.once('error', (error) => settle({ code: null, signal: null, error }));
    proc.once('close', (code, signal) => settle({ code, signal }));
  });

  const waitForLine = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${name} was not ready after ${timeoutMs / 1000} s`)), timeoutMs);
      const watch = (line: string) => {
        const match = line.match(pattern);
        if (!match) return;
        done();
        resolve(match);
      };
      const fail = (error: Error) => {
        done();
        reject(error);
      };
      const done = () => {
        clearTimeout(timer);
        watchers.delete(watch);
      };
      watchers.add(watch);
      void exited.then((result) => watchers.has(watch) && fail(new Error(`${name} ${describeExit(result)} before it was ready`)));
    });

  const stop = async (graceMs = 10_000): Promise<ExitStatus> => {
    if (status) return status;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };

  const child: Child = { name, role, pid: proc.pid, exited, waitForLine, lastLines: () => [...lines], stop };
  running.add(child);
  if (proc.pid !== undefined) say(`${name} (pid ${proc.pid}): ${[basename(command), ...args].map((arg) => arg || "''").join(' ')}`);
  return child;
};

export const describeExit = ({ code, signal, error }: ExitStatus): string =>
  error ? `could not start (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
