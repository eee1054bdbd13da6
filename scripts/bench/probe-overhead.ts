/**
 * What the hub's sampling costs a lab: the throughput of a lab server run plainly, against the same
 * server with the kit's probe loaded and sampled the way the hub samples it (every 400 ms, no
 * forced GC, GC events observed). Runs alternate (plain, probed, plain, probed, ...) so that drift
 * on a shared machine hits both sides alike; the medians are compared. Goal: at least 95 % kept.
 *
 * `measureProbeOverhead()` is what `npm run bench` can call; run this file alone with
 * `node --import tsx scripts/bench/probe-overhead.ts [--seconds S] [--repeats N]` (writes output/bench/probe-overhead.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLab } from '../../kit/lab-process.ts';
import { httpRequest, keepAliveAgent, runHttpLoad } from '../../kit/load/index.ts';
import { median } from '../../kit/verdict/index.ts';
import { freePort } from '../../test/hub-e2e/free-port.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ProbeOverheadOptions {
  /** Server to measure (default: lab 01's solution, a bounded cache serving repeat ids). */
  entry?: string;
  /** Path requested; `{i}` becomes a number cycling below `distinctIds` (default '/user/id-{i}'). */
  path?: string;
  /** Distinct ids cycled through, small enough that the cache answers after warm-up (default 100). */
  distinctIds?: number;
  /** Length of each measured run in seconds (default 3). */
  seconds?: number;
  /** Runs per side (default 3). */
  repeats?: number;
  /** Sampling interval of the probed side in ms (default 400, as the hub). */
  sampleEveryMs?: number;
}

export interface ProbeOverheadResult {
  entry: string;
  /** Requests per wall-clock second per run, plain and probed. */
  plainRuns: number[];
  probedRuns: number[];
  plain: number;
  probed: number;
  /** Requests per CPU-second of the lab process per run (robust to a busy machine). */
  plainCpuRuns: number[];
  probedCpuRuns: number[];
  plainPerCpu: number;
  probedPerCpu: number;
  /** Share of throughput kept with the probe and live sampling, per CPU-second (wall-clock when /proc is missing). */
  kept: number;
  /** The same share from wall-clock throughput (noisy when other programs share the cores). */
  keptWall: number;
  samplesTaken: number;
}

/** The same node flags as startLab, minus the probe. */
async function startPlain(entry: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX, '--expose-gc', '--max-old-space-size=256', entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await httpRequest(url, { path: '/' }, { timeoutMs: 500 });
      return { url, child };
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`${entry} did not listen on ${url}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * CPU seconds (user + system) the process has used, from /proc (Linux; undefined elsewhere).
 * Requests per CPU-second of the lab is what the probe can cost it, and unlike wall-clock
 * throughput it does not move when other programs compete for the machine's cores.
 */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of the man page), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface RunMeasure {
  /** Requests per wall-clock second. */
  perSecond: number;
  /** Requests per CPU-second used by the lab process (NaN when /proc is unavailable). */
  perCpuSecond: number;
}

/** Closed-loop load for `seconds` (16 keep-alive connections) against the server in process `pid`. */
async function throughput(url: string, pid: number, opts: Required<Pick<ProbeOverheadOptions, 'path' | 'distinctIds' | 'seconds'>>): Promise<RunMeasure> {
  const agent = keepAliveAgent(16);
  const request = (i: number) => ({ path: opts.path.replace('{i}', String(i % opts.distinctIds)) });
  try {
    await runHttpLoad({ baseUrl: url, count: 2000, request, agent }); // warm-up: fill the cache, tier up the JIT
    const controller = new AbortController();
    setMaxListeners(64, controller.signal); // one abort listener per request in flight
    const timer = setTimeout(() => controller.abort(), opts.seconds * 1000);
    const started = performance.now();
    const cpuBefore = cpuSeconds(pid);
    const result = await runHttpLoad({ baseUrl: url, count: 10_000_000, request, agent, signal: controller.signal });
    const cpuAfter = cpuSeconds(pid);
    clearTimeout(timer);
    const cpu = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore;
    return { perSecond: result.ok / ((performance.now() - started) / 1000), perCpuSecond: result.ok / cpu };
  } finally {
    agent.destroy();
  }
}

export async function measureProbeOverhead(options: ProbeOverheadOptions = {}): Promise<ProbeOverheadResult> {
  const entry = options.entry ?? path.join(ROOT, 'solutions/01-unbounded-cache/server.ts');
  const load = { path: options.path ?? '/user/id-{i}', distinctIds: options.distinctIds ?? 100, seconds: options.seconds ?? 3 };
  const repeats = options.repeats ?? 3;
  const plainRuns: RunMeasure[] = [];
  const probedRuns: RunMeasure[] = [];
  let samplesTaken = 0;
  for (let r = 0; r < repeats; r++) {
    const plain = await startPlain(entry);
    try {
      plainRuns.push(await throughput(plain.url, plain.child.pid!, load));
    } finally {
      plain.child.kill('SIGKILL');
    }

    const lab = await startLab({ entry, observeGc: true });
    let sampling = false;
    const sampler = setInterval(() => {
      if (sampling) return; // as the hub: never more than one sample in flight
      sampling = true;
      lab.sample(false).then(
        () => {
          samplesTaken++;
          sampling = false;
        },
        () => (sampling = false),
      );
    }, options.sampleEveryMs ?? 400);
    try {
      probedRuns.push(await throughput(lab.url, lab.pid, load));
    } finally {
      clearInterval(sampler);
      await lab.stop();
    }
  }
  const plain = median(plainRuns.map((r) => r.perSecond));
  const probed = median(probedRuns.map((r) => r.perSecond));
  const plainPerCpu = median(plainRuns.map((r) => r.perCpuSecond));
  const probedPerCpu = median(probedRuns.map((r) => r.perCpuSecond));
  const keptWall = probed / plain;
  return {
    entry: path.relative(ROOT, entry),
    plainRuns: plainRuns.map((r) => r.perSecond),
    probedRuns: probedRuns.map((r) => r.perSecond),
    plain,
    probed,
    plainCpuRuns: plainRuns.map((r) => r.perCpuSecond),
    probedCpuRuns: probedRuns.map((r) => r.perCpuSecond),
    plainPerCpu,
    probedPerCpu,
    kept: Number.isFinite(probedPerCpu / plainPerCpu) ? probedPerCpu / plainPerCpu : keptWall,
    keptWall,
    samplesTaken,
  };
}

/** One line per side and the verdict against the 95 % goal. */
export function formatProbeOverhead(result: ProbeOverheadResult): string {
  const rps = (x: number) => `${Math.round(x).toLocaleString('en')} req/s`;
  const perCpu = (x: number) => `${Math.round(x).toLocaleString('en')} req/CPU-s`;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `Probe overhead on ${result.entry} (${result.plainRuns.length} alternating runs per side, hub-style sampling every 400 ms, ${result.samplesTaken} samples taken):`,
    `  without the probe: ${perCpu(result.plainPerCpu)}, ${rps(result.plain)} wall (runs: ${result.plainRuns.map(rps).join(', ')})`,
    `  with the probe:    ${perCpu(result.probedPerCpu)}, ${rps(result.probed)} wall (runs: ${result.probedRuns.map(rps).join(', ')})`,
    `  throughput kept:   ${pct(result.kept)} per CPU-second of the lab (goal ≥ 95 %) ${result.kept >= 0.95 ? 'OK' : 'BELOW GOAL'}; ${pct(result.keptWall)} by wall clock`,
  ].join('\n');
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('bench-probe.ts')) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, repeats: { type: 'string', default: '3' } } });
  const result = await measureProbeOverhead({ seconds: Number(values.seconds), repeats: Number(values.repeats) });
  console.log(formatProbeOverhead(result));
  const out = path.join(ROOT, 'output', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'probe-overhead.json'), `${JSON.stringify(result, null, 2)}\n`);
}
