/**
 * WeakRef and FinalizationRegistry exist without flags on the running Node, and a WeakRef really
 * lets its target go: after the last strong reference is dropped and a full GC runs, deref()
 * returns undefined and the FinalizationRegistry's callback runs.
 *
 *   node --import tsx scripts/experiments/weakref-available.ts
 */
import { ensureFlags, report, settleHeap } from './lib/harness.ts';

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  let finalized = false;
  const registry = new FinalizationRegistry<string>(() => {
    finalized = true;
  });
  // Created inside a function so no local variable of this module keeps the target alive.
  const ref = (() => {
    const target = { payload: new Array(1000).fill('x') };
    registry.register(target, 'target');
    return new WeakRef(target);
  })();
  // A WeakRef keeps its target alive until the end of the current job: wait a turn, then collect.
  await settleHeap();
  report(
    {
      node: process.versions.node,
      weakRefType: typeof WeakRef,
      finalizationRegistryType: typeof FinalizationRegistry,
      derefAfterGc: String(ref.deref()),
      finalizationCallbackRan: finalized,
    },
    `WeakRef: ${typeof WeakRef}, target collected: ${ref.deref() === undefined}`,
  );
}
