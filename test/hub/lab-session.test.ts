/**
 * A lab session on real processes: it samples the running lab without forcing GC, marks forced-GC
 * samples, shares one forced GC among a burst of requests, and when the lab dies (out of memory
 * here) it says so and why, keeps its history, and starts again on request. How often it samples
 * is a matter of the machine's load, so it is not asserted here.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProbeSample } from '../../kit/types.ts';
import { LabSession, Ring, type SessionState } from '../../hub/lab-session.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function recorder() {
  const states: SessionState[] = [];
  const samples: ProbeSample[] = [];
  let gcEvents = 0;
  return {
    states,
    samples,
    gcCount: () => gcEvents,
    events: {
      state: (s: SessionState) => states.push(s),
      sample: (p: { sample: ProbeSample }) => samples.push(p.sample),
      gc: (p: { events: unknown[] }) => (gcEvents += p.events.length),
    },
  };
}

const until = async (what: string, ok: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('LabSession', () => {
  it('samples the running lab live, without forcing GC unless asked; a burst of forced GCs runs one at a time', async () => {
    const seen = recorder();
    const session = new LabSession({
      lab: '01-unbounded-cache',
      variant: 'learner',
      entry: path.join(ROOT, 'labs/01-unbounded-cache/server.ts'),
      file: 'labs/01-unbounded-cache/server.ts',
      events: seen.events,
    });
    try {
      await session.start();
      assert.equal(session.state().status, 'running');
      await until('4 samples', () => seen.samples.length >= 4, 60_000);
      assert.ok(seen.samples.every((s) => !s.afterGc), 'live samples do not force GC');
      const forced = await session.forceGc();
      assert.equal(forced?.afterGc, true);
      assert.ok(seen.gcCount() >= 1, 'a forced GC shows up as GC events');
      // 50 requests at once share the forced GC in flight: one sample after GC comes back for all.
      const burst = await Promise.all(Array.from({ length: 50 }, () => session.forceGc()));
      assert.equal(new Set(burst.map((s) => s?.t)).size, 1, 'one forced GC answered the whole burst');
    } finally {
      await session.stop();
    }
    assert.equal(session.state().status, 'stopped');
  });

  it('reports an out-of-memory crash with its reason, keeps the samples, and can restart', async () => {
    const seen = recorder();
    const session = new LabSession({
      lab: '01-unbounded-cache',
      variant: 'learner',
      entry: path.join(ROOT, 'test/hub/fixtures/grows-until-oom.ts'),
      file: 'test/hub/fixtures/grows-until-oom.ts',
      events: seen.events,
      heapMb: 48,
      sampleEveryMs: 200,
    });
    try {
      await session.start();
      await until('the crash', () => session.state().status === 'crashed', 120_000);
      const state = session.state();
      assert.equal(state.exitReason, 'out of memory');
      assert.match(state.reason ?? '', /grows-until-oom\.ts ran out of memory/);
      assert.ok(session.samples.length > 0, 'the history survives the crash');
      assert.ok(seen.states.some((s) => s.status === 'crashed'), 'the crash was published');
      await session.start();
      assert.equal(session.state().status, 'running', 'a crashed lab starts again');
    } finally {
      await session.stop();
    }
  });

  it('keeps a bounded history', () => {
    const ring = new Ring<number>(3);
    for (let i = 0; i < 10; i++) ring.push(i);
    assert.deepEqual(ring.toArray(), [7, 8, 9]);
  });
});
