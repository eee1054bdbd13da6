/**
 * `leaklab run <lab> [--solution] [--entry FILE] [--port N]`: start a lab server for exploring by
 * hand, print its URL, and show a live readout of its memory twice a second until Ctrl-C.
 * Runs without the quiet JIT flags: this is the server as it behaves in production.
 */
import { loadCheckPlan } from '../../kit/check-plans.ts';
import { LabError } from '../../kit/errors.ts';
import { displayPath, startLab } from '../../kit/lab-process.ts';
import type { ProbeSample } from '../../kit/types.ts';
import { formatBytes } from '../../kit/format.ts';
import { chooseLab } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export interface RunArgs {
  lab?: string;
  solution: boolean;
  entry?: string;
  port?: number;
}

/** One line of readout: memory, resources that matter for leaks, and the lab's gauges. */
export function readoutLine(sample: ProbeSample, gcCount: number): string {
  const timers = sample.activeResources.Timeout ?? 0;
  const gauges = Object.entries(sample.gauges)
    .map(([name, value]) => `${name} ${value}`)
    .join('  ');
  return (
    `heapUsed ${formatBytes(sample.heapUsed).padStart(9)}  arrayBuffers ${formatBytes(sample.arrayBuffers).padStart(9)}  ` +
    `rss ${formatBytes(sample.rss).padStart(9)}  timers ${timers}  GCs ${gcCount}${gauges ? `  ${gauges}` : ''}`
  );
}

export async function runCommand(args: RunArgs, term: Terminal): Promise<number> {
  const chosen = chooseLab(args.lab, { solution: args.solution, entry: args.entry });
  // The check's settings (a short cache TTL, ...), as the hub runs it: what you watch is what is judged.
  const env = (await loadCheckPlan(chosen.lab.dir)).env;
  const lab = await startLab({ entry: chosen.entry, labName: chosen.lab.number, port: args.port, observeGc: true, listenTimeoutMs: 15_000, env });
  let gcCount = 0;
  lab.on('gc', () => (gcCount += 1));
  term.out(`Lab ${chosen.lab.number} · ${chosen.lab.title}: ${displayPath(chosen.entry)}`);
  term.out(`Listening on ${lab.url}   (heap capped at 256 MB; Ctrl-C to stop)`);
  const settings = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  if (settings.length > 0) term.out(`With the checker's settings: ${settings.join(' ')}`);
  term.out(`Try it: see ${displayPath(chosen.lab.readme)} for the routes. Memory (no forced GC: what a dashboard would see):`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const finish = async (code: number, message?: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      if (term.interactive) process.stdout.write('\n');
      if (message) term.err(message);
      await lab.stop();
      resolve(code);
    };
    const timer = setInterval(async () => {
      try {
        const line = readoutLine(await lab.sample(false, { timeoutMs: 2000 }), gcCount);
        if (stopping) return;
        if (term.interactive) process.stdout.write(`\r\u001b[K${line}`);
        else term.out(line);
      } catch {
        // The failure event below says what happened; a missed sample alone is not worth a line.
      }
    }, 500);
    lab.on('failure', (error: LabError) => void finish(2, error.message));
    // Our own listener keeps the orphan guard from exiting for us, so the server is stopped first.
    process.on('SIGINT', () => void finish(0, 'Stopped.'));
    process.on('SIGTERM', () => void finish(0));
  });
}
