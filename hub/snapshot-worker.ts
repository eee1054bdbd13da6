/**
 * Compares two heap snapshot files off the hub's main thread, reading each in chunks (kit/snapshots
 * parse.ts), and reports each stage as it starts so the page can show where a long comparison is.
 * The hub starts this worker with a memory cap (analyse.ts); whatever it used goes with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseSnapshotFiles, type AnalyseOptions, type AnalysisProgress, type SnapshotAnalysis } from '../kit/snapshots/index.ts';

export interface SnapshotJob {
  beforePath: string;
  afterPath: string;
  options: Omit<AnalyseOptions, 'onProgress'>;
}

/** What the worker tells the hub. */
export type WorkerMessage =
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'done'; analysis: SnapshotAnalysis }
  | { type: 'failed'; error: string };

const job = workerData as SnapshotJob;
const tell = (message: WorkerMessage) => parentPort!.postMessage(message);
try {
  const analysis = analyseSnapshotFiles(job.beforePath, job.afterPath, { ...job.options, onProgress: (progress) => tell({ type: 'progress', progress }) });
  tell({ type: 'done', analysis });
} catch (error) {
  tell({ type: 'failed', error: (error as Error).message });
}
