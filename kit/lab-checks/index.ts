/** Every lab's check, by lab id (folder name), plus the synthetic check used by the bench and tests. */
import http from 'node:http';
import type { LabProcess } from '../lab-process.ts';
import type { Progress } from '../load/index.ts';
import { unboundedCacheCheck } from './01-unbounded-cache.ts';
import { sseListenerCheck } from './02-sse-listener.ts';
import { closureCaptureCheck } from './03-closure-capture.ts';
import { unclearedIntervalCheck } from './04-uncleared-interval.ts';
import { outsideTheHeapCheck } from './05-outside-the-heap.ts';
import { socketStateCheck } from './06-socket-state.ts';
import { postMortemCheck } from './07-post-mortem.ts';
import type { LabCheck, LabContext } from './lab-check.ts';
import { syntheticCheck } from './synthetic.ts';

export type { LabCheck, LabContext, MechanismSignal } from './lab-check.ts';
export { SYNTHETIC_LAB_ID } from './synthetic.ts';

const CHECKS: readonly LabCheck[] = [unboundedCacheCheck, sseListenerCheck, closureCaptureCheck, unclearedIntervalCheck, outsideTheHeapCheck, socketStateCheck, postMortemCheck, syntheticCheck];

/** The check for a lab id ('01-unbounded-cache', ... or 'synthetic'); undefined when there is none. */
export function labCheckFor(labId: string): LabCheck | undefined {
  return CHECKS.find((check) => check.labId === labId);
}

/** A context for driving a running lab; call close() when done (it frees the keep-alive sockets). */
export function createLabContext(lab: LabProcess, options: { signal?: AbortSignal; onProgress?: Progress } = {}): LabContext & { close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  // A per-context prefix keeps ids unique even when the hub and a check share one server.
  const prefix = Math.random().toString(36).slice(2, 7);
  let counter = 0;
  return {
    lab,
    url: lab.url,
    agent,
    signal: options.signal,
    onProgress: options.onProgress,
    uniqueId: () => `${prefix}${(counter++).toString(36)}`,
    close: () => agent.destroy(),
  };
}
