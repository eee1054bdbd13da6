/**
 * Start a lab's server, or its reference solution, the way the hub and the checker do (a probed
 * child process on a free loopback port, kit/lab-process.ts), for the experiments that measure
 * what a lab page tells the learner. The labs are only run, never changed.
 */
import { join } from 'node:path';
import { startLab, type LabProcess, type StartLabOptions } from '../../../kit/lab-process.ts';
import type { ProbeSample } from '../../../kit/types.ts';
import { MIB } from './harness.ts';
import { PROJECT_ROOT } from './output-dir.ts';

export type Side = 'lab' | 'solution';

/** Start labs/<lab>/server.ts or solutions/<lab>/server.ts. */
export function startLabServer(lab: string, side: Side, options: Omit<StartLabOptions, 'entry'> = {}): Promise<LabProcess> {
  const folder = side === 'lab' ? 'labs' : 'solutions';
  return startLab({ ...options, entry: join(PROJECT_ROOT, folder, lab, 'server.ts') });
}

/** The post-GC memory numbers of a sample, in MiB with one decimal, as a lab page quotes them. */
export function memoryMiB(sample: ProbeSample): { heapUsed: number; arrayBuffers: number; external: number; rss: number } {
  const round = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
  return { heapUsed: round(sample.heapUsed), arrayBuffers: round(sample.arrayBuffers), external: round(sample.external), rss: round(sample.rss) };
}

/** Run `task` `count` times, `concurrency` at a time. */
export async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
