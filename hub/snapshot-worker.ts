/**
 * Compares two heap snapshots off the hub's main thread. Parsing a lab's snapshots takes from a
 * fraction of a second to a few seconds and a few hundred MB of transient memory; in a worker the
 * hub keeps answering pages meanwhile, and the memory goes away with the worker.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { analyseSnapshots, type AnalyseOptions } from '../kit/snapshots/index.ts';

export interface SnapshotJob {
  beforePath: string;
  afterPath: string;
  options: AnalyseOptions;
}

const job = workerData as SnapshotJob;
try {
  const [beforeText, afterText] = await Promise.all([readFile(job.beforePath, 'utf8'), readFile(job.afterPath, 'utf8')]);
  parentPort!.postMessage({ ok: true, analysis: analyseSnapshots(beforeText, afterText, job.options) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: (error as Error).message });
}
