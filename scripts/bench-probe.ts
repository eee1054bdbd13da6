/**
 * What the hub's sampling costs a lab: the throughput of a lab server run plainly, against the same
 * server with the kit's probe loaded and sampled the way the hub samples it (every 400 ms, no
 * forced GC, GC events observed). Runs alternate (plain, probed, plain, probed, ...) so that drift
 * on a shared machine hits both sides alike; the medians are compared. Goal: at least 95 % kept.
 *
 * `measureProbeOverhead()` is what `npm run bench` can call; run this file alone with
 * `node --import tsx scripts/bench-probe.ts [--seconds S] [--repeats N]` (writes output/bench/probe-overhead.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLab } from '../kit/lab-process.ts';
import { httpRequest, keepAliveAgent, runHttpLoad } from '../kit/load/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
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
  /** Requests per second per run, plain and probed. */
  plainRuns: number[];
  probedRuns: number[];
  plain: number;
  probed: number;
  /** probed / plain, the share of throughput kept with the probe and live sampling. */
  kept: number;
  samplesTaken: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
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

/** Requests per second over `seconds` of closed-loop load (16 keep-alive connections). */
async function throughput(url: string, opts: Required<Pick<ProbeOverheadOptions, 'path' | 'distinctIds' | 'seconds'>>): Promise<number> {
  const agent = keepAliveAgent(16);
  const request = (i: number) => ({ path: opts.path.replace('{i}', String(i % opts.distinctIds)) });
  try {
    await runHttpLoad({ baseUrl: url, count: 2000, request, agent }); // warm-up: fill the cache, tier up the JIT
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.seconds * 1000);
    const started = performance.now();
    const result = await runHttpLoad({ baseUrl: url, count: 10_000_000, request, agent, signal: controller.signal });
    clearTimeout(timer);
    return result.ok / ((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}

export async function measureProbeOverhead(options: ProbeOverheadOptions = {}): Promise<ProbeOverheadResult> {
  const entry = options.entry ?? path.join(ROOT, 'solutions/01-unbounded-cache/server.ts');
  const load = { path: options.path ?? '/user/id-{i}', distinctIds: options.distinctIds ?? 100, seconds: options.seconds ?? 3 };
  const repeats = options.repeats ?? 3;
  const plainRuns: number[] = [];
  const probedRuns: number[] = [];
  let samplesTaken = 0;
  for (let r = 0; r < repeats; r++) {
    const plain = await startPlain(entry);
    try {
      plainRuns.push(await throughput(plain.url, load));
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
      probedRuns.push(await throughput(lab.url, load));
    } finally {
      clearInterval(sampler);
      await lab.stop();
    }
  }
  const plain = median(plainRuns);
  const probed = median(probedRuns);
  return { entry: path.relative(ROOT, entry), plainRuns, probedRuns, plain, probed, kept: probed / plain, samplesTaken };
}

/** One line per side and the verdict against the 95 % goal. */
export function formatProbeOverhead(result: ProbeOverheadResult): string {
  const rps = (x: number) => `${Math.round(x).toLocaleString('en')} req/s`;
  return [
    `Probe overhead on ${result.entry} (${result.plainRuns.length} alternating runs per side, hub-style sampling every 400 ms):`,
    `  without the probe: ${rps(result.plain)} (runs: ${result.plainRuns.map(rps).join(', ')})`,
    `  with the probe:    ${rps(result.probed)} (runs: ${result.probedRuns.map(rps).join(', ')}; ${result.samplesTaken} samples taken)`,
    `  throughput kept:   ${(result.kept * 100).toFixed(1)} % (goal ≥ 95 %) ${result.kept >= 0.95 ? 'OK' : 'BELOW GOAL'}`,
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
