/** Small helpers of the benchmarks in `test/bench/`. */

/** N from `--n 123` / `--n=123`, else the environment's value, else the default. */
export const parseN = (argv: string[], fromEnv: string | undefined, fallback: number): number => {
  let raw: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--n') raw = argv[i + 1];
    else if (arg.startsWith('--n=')) raw = arg.slice('--n='.length);
  });
  raw ??= fromEnv;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`N must be a positive integer, got "${raw}"`);
  return n;
};

/** Runs `task(0..count-1)` with at most `window` in flight; rejects on the first failure. */
export const inWindow = async (count: number, window: number, task: (i: number) => Promise<unknown>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
};

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export const waitUntil = async (
  condition: () => Promise<boolean>,
  { timeoutMs, intervalMs, message }: { timeoutMs: number; intervalMs: number; message: string },
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${message}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

export const rate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en-US');

/**
 * With `BENCH_CPU_PROFILE=<file>`, records a CPU profile of this process while `phase` runs
 * (the V8 inspector's profiler; open the file in Chrome's DevTools).
 */
export const profiled = async <T>(phase: () => Promise<T>, file = process.env.BENCH_CPU_PROFILE): Promise<T> => {
  if (!file) return phase();
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
};

/** The process whose command line mentions `needle` (a server's temporary directory), if any (Linux). */
export const pidMentioning = async (needle: string): Promise<number | undefined> => {
  const { readdirSync, readFileSync } = await import('node:fs');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
};

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat, 100 ticks/s). */
export const cpuMsOf = async (pid: number | undefined): Promise<number> => {
  if (pid === undefined) return Number.NaN;
  const { readFileSync } = await import('node:fs');
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
};

/** CPU time of this process and of the given servers while `phase` runs. */
export const measuredCpu = async <T>(pids: Record<string, number | undefined>, phase: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number> }> => {
  const names = Object.keys(pids);
  const before = await Promise.all(names.map((name) => cpuMsOf(pids[name])));
  const own = process.cpuUsage();
  const result = await phase();
  const ownUsed = process.cpuUsage(own);
  const after = await Promise.all(names.map((name) => cpuMsOf(pids[name])));
  const cpuMs: Record<string, number> = { node: (ownUsed.user + ownUsed.system) / 1000 };
  names.forEach((name, i) => (cpuMs[name] = after[i] - before[i]));
  return { result, cpuMs };
};

/** `node 812 µs, nats-server 410 µs` per item. */
export const perItem = (cpuMs: Record<string, number>, count: number): string =>
  Object.entries(cpuMs)
    .map(([name, ms]) => `${name} ${Number.isNaN(ms) ? '?' : Math.round((ms * 1000) / count)} µs`)
    .join(', ');
