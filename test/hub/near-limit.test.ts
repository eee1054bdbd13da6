/**
 * Picking up the snapshot V8 writes near the heap limit, with a real process that dies of its cap:
 * a hub session started with a near-limit folder gets the flags, the folder exists before the start
 * (V8 writes nothing otherwise: the diagnostic-dir-missing experiment), and after the crash the file moves into the snapshot
 * store as a `near-limit` snapshot that the comparison explains against a baseline. A fast-leaking
 * fixture keeps this under ~20 s; the real lab 07 runs in crash-run.test.ts and the manual flow.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { LabSession, type SessionState } from '../../hub/lab-session.ts';
import { collectNearLimitSnapshot } from '../../hub/near-limit.ts';
import { SnapshotStore } from '../../hub/snapshot-store.ts';
import { analyseSnapshots } from '../../kit/snapshots/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/orders-until-oom.ts');
let dir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'leaklab-near-limit-'));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until(what: string, test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('moves the near-limit snapshot of a crashed lab into the store, where it explains the leak', { timeout: 60_000 }, async () => {
  const store = new SnapshotStore(path.join(dir, 'snapshots'));
  const nearLimitDir = path.join(store.dir, 'near-limit', '07-post-mortem-learner'); // does not exist yet
  const states: SessionState[] = [];
  const session = new LabSession({
    lab: '07-post-mortem',
    variant: 'learner',
    entry: FIXTURE,
    file: 'test/hub/fixtures/orders-until-oom.ts',
    events: { state: (s) => states.push(s), sample: () => undefined, gc: () => undefined },
    heapMb: 48,
    nearLimitDir,
  });
  try {
    await session.start();
    const child = session.running();
    assert.ok(child, `started: ${JSON.stringify(session.state())}`);
    const baseline = await store.allocate('07-post-mortem', 'learner');
    await child.writeSnapshot(baseline.path);

    const t0 = Date.now();
    let requests = 0;
    while (session.running() === child && Date.now() - t0 < 45_000) {
      await fetch(child.url).then((r) => r.text()).catch(() => undefined);
      requests++;
    }
    await until('the crash to be published', () => session.state().status === 'crashed', 10_000);
    console.log(`# died after ${requests} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${session.state().exitReason}`);
    assert.equal(session.state().exitReason, 'out of memory');

    const name = await collectNearLimitSnapshot(nearLimitDir, store, '07-post-mortem', 'learner');
    assert.match(name ?? '', /^07-post-mortem-learner-near-limit-\d{8}T\d{6}Z-\d+\.heapsnapshot$/);
    assert.deepEqual(await readdir(nearLimitDir), [], 'nothing stays in the diagnostic folder');
    const listed = await store.list();
    assert.deepEqual(listed.map((s) => s.kind).sort(), ['near-limit', 'taken']);
    assert.ok(await store.resolve(name), 'the browser can name it');

    const analysis = analyseSnapshots(await readFile(baseline.path, 'utf8'), await readFile((await store.resolve(name))!, 'utf8'));
    assert.equal(analysis.top?.name, 'UnpaidOrder');
    // V8 writes this snapshot mid-request, with the array on the running function's stack: the
    // path shown must be the module variable that outlives the request, not the stack.
    assert.match(analysis.pathLine ?? '', /`unpaidOrders` \(Array\)/, analysis.pathLine);

    // A second collect finds nothing new; a start empties the folder of anything left behind.
    assert.equal(await collectNearLimitSnapshot(nearLimitDir, store, '07-post-mortem', 'learner'), undefined);
    await writeFile(path.join(nearLimitDir, 'Heap.stale.heapsnapshot'), '{');
    await session.start();
    assert.deepEqual(await readdir(nearLimitDir), [], 'a stale file from an earlier run is not taken for this one');
  } finally {
    await session.stop();
  }
});

it('deletes a half-written snapshot instead of storing it', async () => {
  const store = new SnapshotStore(path.join(dir, 'partial'));
  const nearLimitDir = path.join(dir, 'partial-diag');
  await mkdir(nearLimitDir, { recursive: true });
  await writeFile(path.join(nearLimitDir, 'Heap.20261125.120000.1.0.001.heapsnapshot'), '{"snapshot":{"meta":{}},"nodes":[1,2,3,'.padEnd(200, '4,'));
  assert.equal(await collectNearLimitSnapshot(nearLimitDir, store, '07-post-mortem', 'learner'), undefined);
  assert.deepEqual(await readdir(nearLimitDir), []);
  assert.deepEqual(await store.list(), []);
});
