/**
 * The registry of check plans, derived rather than kept by hand: a lab's plan is its folder's
 * check.ts (labs/NN-name/check.ts, default export). Also the context a workload runs in.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabCheck, LabContext } from './check-plan.ts';
import type { LabProcess } from './lab-process.ts';
import type { Progress } from './load/index.ts';

/** The check plan in `labDir`/check.ts (labs/NN-name or any folder laid out like one). */
export async function loadCheckPlan(labDir: string): Promise<LabCheck> {
  const module = (await import(pathToFileURL(path.join(labDir, 'check.ts')).href)) as { default?: LabCheck };
  if (!module.default || typeof module.default.start !== 'function') throw new Error(`${path.join(labDir, 'check.ts')} has no default export of a check plan`);
  return module.default;
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
