/**
 * When does a WeakRef's target go? Creating a WeakRef, or calling deref() on it, keeps the target
 * alive until the current synchronous job ends (the spec's "KeepDuringJob" list), even if a full GC
 * runs in the middle; in a later job, once nothing else holds the target, a GC takes it and deref()
 * returns undefined. "The job" includes the microtasks it queued (promise reactions, queueMicrotask):
 * a GC inside them still finds the target. Every `await nextJob()` below waits for a setImmediate
 * turn, so what follows it runs in a new job.
 * A control ref, whose target was held strongly until the job that drops it and never deref'd in
 * that job, is collected by a GC within that same job: the guarantee comes from deref() (or the
 * WeakRef's creation) in the current job, not from being inside a job at all.
 *
 *   node --import tsx scripts/experiments/weakref-deref.ts
 */
import { setImmediate as nextJob } from 'node:timers/promises';
import { ensureFlags, report } from './lib/harness.ts';

const FORCED_GCS = 3;

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const gc = (globalThis as unknown as { gc: () => void }).gc;

  /** A target that only the returned WeakRef points at: no local variable keeps it. */
  const weaklyHeld = () => new WeakRef({ payload: new Array(10_000).fill('x') });

  // Job 1: create the ref, drop every strong reference, force full GCs; deref() each time.
  await nextJob();
  const created = weaklyHeld();
  const sameJobAfterGc: boolean[] = [];
  for (let i = 0; i < FORCED_GCS; i++) {
    gc();
    sameJobAfterGc.push(created.deref() !== undefined);
  }

  // Microtasks run before the job ends: a GC inside them still finds the target.
  const inMicrotasks = await new Promise<{ queueMicrotask: boolean; promiseReaction: boolean }>((resolve) => {
    setImmediate(() => {
      const ref = weaklyHeld();
      queueMicrotask(() => {
        gc();
        const afterQueueMicrotask = ref.deref() !== undefined;
        void Promise.resolve().then(() => {
          gc();
          resolve({ queueMicrotask: afterQueueMicrotask, promiseReaction: ref.deref() !== undefined });
        });
      });
    });
  });

  // Job 2: the target is unreachable and the job that created the ref is over.
  await nextJob();
  gc();
  const laterJobAfterGc = created.deref() !== undefined;

  // Control: targets held strongly until job 3, where the holder lets go. One ref is deref'd in
  // job 3 before the GC, the other is not.
  let holder: Array<{ payload: string[] }> | null = [{ payload: new Array(10_000).fill('y') }, { payload: new Array(10_000).fill('z') }];
  const derefed = new WeakRef(holder[0]!);
  const notDerefed = new WeakRef(holder[1]!);
  await nextJob();
  gc(); // The creating job is over: only `holder` keeps both targets now.
  const bothAliveWhileHeld = derefed.deref() !== undefined && notDerefed.deref() !== undefined;
  await nextJob();
  holder = null;
  const derefedBeforeGc = derefed.deref() !== undefined; // This deref keeps its target for the job.
  gc();
  const afterDrop = { derefed: derefed.deref() !== undefined, notDerefed: notDerefed.deref() !== undefined };

  report(
    {
      createdThenGcSameJob: { forcedGcs: FORCED_GCS, targetStillThere: sameJobAfterGc },
      inMicrotasksOfTheJob: inMicrotasks,
      laterJobAfterGc: { targetStillThere: laterJobAfterGc },
      control: { bothAliveWhileHeld, derefedBeforeGc, sameJobAfterDropAndGc: afterDrop },
    },
    `same job after ${FORCED_GCS} GCs: ${sameJobAfterGc.join(', ')}; later job: ${laterJobAfterGc}; ` +
      `dropped and GC'd in one job: deref'd ${afterDrop.derefed}, not deref'd ${afterDrop.notDerefed}`,
  );
}
