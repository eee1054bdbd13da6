/**
 * The post-mortem snapshot: a lab run with `--heapsnapshot-near-heap-limit=1 --diagnostic-dir=DIR`
 * has V8 write `Heap.<date>.<time>.<pid>.0.001.heapsnapshot` into DIR just before the heap runs out
 * (the oom-diagnostics experiment). V8 writes nothing unless DIR exists, so the hub prepares it before each start, and
 * after the crash moves the file into the snapshot store under a generated name, where it is listed,
 * downloadable, pruned and comparable like the snapshots the learner took.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SnapshotStore } from './snapshot-store.ts';

/** The Node flags that make V8 write one snapshot near the heap limit into `dir`. */
export function nearLimitFlags(dir: string): string[] {
  return ['--heapsnapshot-near-heap-limit=1', `--diagnostic-dir=${dir}`];
}

/** Create `dir` and empty it of snapshots left by an earlier run, so a file found later is this run's. */
export async function prepareNearLimitDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (name.endsWith('.heapsnapshot')) await rm(path.join(dir, name), { force: true });
  }
}

/** True once V8 has started writing its near-limit snapshot into `dir` (the crash is near). */
export async function nearLimitWritten(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((name) => name.endsWith('.heapsnapshot'));
  } catch {
    return false;
  }
}

/**
 * True when the file ends the way a finished snapshot does (`]}` after the strings table). A lab
 * killed while V8 was still writing (the hub gives up on a silent lab after 20 s) leaves half a file.
 */
async function isComplete(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 64) return false;
    const tail = Buffer.alloc(64);
    await handle.read(tail, 0, 64, size - 64);
    return /\]\s*\}\s*$/.test(tail.toString('latin1'));
  } finally {
    await handle.close();
  }
}

/**
 * Move the snapshot V8 wrote into `dir` into the store as `<lab>-<variant>-near-limit-...`.
 * Resolves with the store name, or undefined when V8 wrote none (the lab died of something else, or
 * before the heap neared its limit) or only a partial one, which is deleted.
 */
export async function collectNearLimitSnapshot(
  dir: string,
  store: SnapshotStore,
  labId: string,
  variant: 'learner' | 'solution',
): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.heapsnapshot')).sort();
  } catch {
    return undefined;
  }
  let collected: string | undefined;
  // With `=1` there is at most one; should there be more, the last written is nearest the limit.
  for (const name of names) {
    const file = path.join(dir, name);
    if (!(await isComplete(file).catch(() => false))) {
      await rm(file, { force: true });
      continue;
    }
    const target = await store.allocate(labId, variant, 'near-limit');
    await rename(file, target.path);
    collected = target.name;
  }
  return collected;
}
