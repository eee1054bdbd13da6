/**
 * startLab against real servers: it finds the port the server chose (PORT=0), the probe answers
 * samples with a forced GC, resource counts and gauges, pushes GC events, writes snapshots, and
 * stop() leaves no process. Failures come back as LabErrors naming the file: at start, a blocked
 * event loop, and a probe that answers with an error. Its parts on their own: the heartbeat, the
 * orphan guard's hold on the host's signals, the quiet JIT flags this Node accepts, the stderr summary.
 *
 * No test here measures time: each waits for the event it is about, with the runner's timeout as
 * a safety net only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LabError } from '../../kit/errors.ts';
import { QUIET_JIT_FLAGS, quietJitFlags, startLab, summariseStderr, type LabProcess } from '../../kit/lab-process.ts';
import { Heartbeat } from '../../kit/lab-process/heartbeat.ts';
import { acceptedFlags } from '../../kit/lab-process/jit-flags.ts';
import type { GcEvent } from '../../kit/types.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SYNTHETIC = path.join(ROOT, 'test', 'fixtures', 'synthetic');
const LAB_02 = path.join(ROOT, 'labs', '02-sse-listener', 'server.ts');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'leaklab-process-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The runner's timeout for tests that start processes: a safety net against a hang, not a measure. */
const SAFETY_NET = { timeout: 120_000 };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** The first GC event of `kind` the lab pushes from now on. */
function nextGc(lab: LabProcess, kind: GcEvent['kind']): Promise<GcEvent> {
  return new Promise((resolve) => {
    const onGc = (event: GcEvent) => {
      if (event.kind !== kind) return;
      lab.off('gc', onGc);
      resolve(event);
    };
    lab.on('gc', onGc);
  });
}

describe('startLab on a working server', SAFETY_NET, () => {
  it('reports the free port it listens on, answers samples, and stop() ends it', async () => {
    const lab = await startLab({ entry: path.join(SYNTHETIC, 'no-leak.ts'), quiet: true });
    try {
      assert.match(lab.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(lab.port > 0);
      assert.equal(await get(`${lab.url}/item/1`), 200);
      const sample = await lab.sample(true);
      assert.equal(sample.afterGc, true);
      assert.ok(sample.heapUsed > 1_000_000 && sample.heapUsed < sample.heapSizeLimit);
      assert.ok(sample.spaces.old_space! > 0 && sample.spaces.old_space! <= sample.heapUsed);
      // The default cap is 256 MiB of old space; V8 adds the young generation to the limit, which
      // differs between Node lines (48 MiB on 20 and 22, 192 on 24, 96 on 26) but never doubles it.
      assert.ok(sample.heapSizeLimit > 256 * 1024 * 1024 && sample.heapSizeLimit < 512 * 1024 * 1024, `limit ${sample.heapSizeLimit}`);
      assert.equal(sample.activeResources.TCPServerWrap, 1, 'the listening server is counted');
      assert.equal(sample.activeResources.Timeout ?? 0, 0, 'the probe keeps no timers of its own');
    } finally {
      const exit = await lab.stop();
      assert.equal(exit.reason, 'stopped');
    }
    assert.equal(alive(lab.pid), false);
  });

  it('reads the lab fixtures\' gauges and pushes GC events when asked', async () => {
    const lab = await startLab({ entry: LAB_02, observeGc: true });
    try {
      assert.equal((await lab.sample(false)).gauges.busListeners, 0);
      // Listen before asking: the forced full GCs of the sample are pushed as they happen.
      const major = nextGc(lab, 'major');
      await lab.sample(true, { gcCount: 3 });
      const event = await major;
      assert.ok(event.durationMs >= 0 && event.t > 0, JSON.stringify(event));
    } finally {
      await lab.stop();
    }
  });

  it('writes a heap snapshot where it is told', async () => {
    const lab = await startLab({ entry: path.join(SYNTHETIC, 'no-leak.ts') });
    try {
      const file = path.join(scratch, 'lab.heapsnapshot');
      assert.equal(await lab.writeSnapshot(file), file);
      assert.ok(existsSync(file) && statSync(file).size > 100_000);
    } finally {
      await lab.stop();
    }
  });

  it('a snapshot that keeps the server busy longer than the blocked-loop limit is not a blocked loop', async (t) => {
    // 300,000 small objects: writing their snapshot takes seconds (3.4 s on 2 busy cores), past the limit below.
    const big = path.join(scratch, 'big-heap.ts');
    writeFileSync(
      big,
      [
        "import http from 'node:http';",
        'const kept = Array.from({ length: 300_000 }, (_, i) => ({ i, name: `item-${i}` }));',
        "http.createServer((_req, res) => res.end(String(kept.length))).listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');",
      ].join('\n'),
    );
    const blockedAfterMs = 1500;
    const lab = await startLab({ entry: big, blockedAfterMs, listenTimeoutMs: 60_000 });
    try {
      const started = Date.now();
      await lab.writeSnapshot(path.join(scratch, 'big.heapsnapshot'));
      const busyMs = Date.now() - started;
      assert.equal(lab.failed, undefined, `the snapshot was taken for a blocked loop: ${lab.failed?.message}`);
      assert.equal((await lab.sample(false)).afterGc, false, 'the lab still answers after its snapshot');
      // Not a timing limit: the machine decides how long the snapshot takes, and a machine fast
      // enough to write it within a heartbeat leaves nothing to show here.
      if (busyMs < blockedAfterMs + 500) t.skip(`the snapshot took only ${busyMs} ms: too short to cross the ${blockedAfterMs} ms limit`);
    } finally {
      await lab.stop();
    }
  });

  it('a probe that answers a request with an error → PROBE_FAILED with its message, and the lab stays usable', async () => {
    const lab = await startLab({ entry: path.join(SYNTHETIC, 'no-leak.ts') });
    try {
      const nowhere = path.join(scratch, 'no-such-folder', 'lab.heapsnapshot');
      await assert.rejects(lab.writeSnapshot(nowhere), (error: unknown) => {
        assert.ok(error instanceof LabError);
        assert.equal(error.code, 'PROBE_FAILED');
        assert.match(error.message, /no-leak\.ts could not write a heap snapshot: .*ENOENT/);
        return true;
      });
      assert.equal(lab.failed, undefined, 'one failed request does not make the lab unusable');
      assert.equal((await lab.sample(true)).afterGc, true);
    } finally {
      await lab.stop();
    }
  });

  it('the orphan guard holds the host\'s signals only while a lab runs', async () => {
    const before = process.listenerCount('SIGINT');
    const lab = await startLab({ entry: path.join(SYNTHETIC, 'no-leak.ts') });
    try {
      assert.equal(process.listenerCount('SIGINT'), before + 1, 'the guard listens while the lab runs');
    } finally {
      await lab.stop();
    }
    assert.equal(process.listenerCount('SIGINT'), before, 'with no lab left, the host handles its signals alone');
  });
});

describe('startLab on bad input', SAFETY_NET, () => {
  const failing: Array<{ name: string; file: string; code: LabError['code']; listenTimeoutMs?: number }> = [
    { name: 'throws at start', file: 'throws-at-start.ts', code: 'THREW_AT_START' },
    { name: 'never listens', file: 'never-listens.ts', code: 'NEVER_LISTENED', listenTimeoutMs: 2000 },
    { name: 'does not exist', file: 'nope.ts', code: 'ENTRY_NOT_FOUND' },
  ];
  for (const bad of failing) {
    it(`${bad.name} → ${bad.code}, naming the file`, async () => {
      await assert.rejects(startLab({ entry: path.join(SYNTHETIC, bad.file), listenTimeoutMs: bad.listenTimeoutMs }), (error: unknown) => {
        assert.ok(error instanceof LabError);
        assert.equal(error.code, bad.code);
        assert.match(error.message, new RegExp(bad.file.replace('.', '\\.')));
        return true;
      });
    });
  }

  it('an event loop blocked while serving → EVENT_LOOP_BLOCKED, and the process is killed', async () => {
    const lab = await startLab({ entry: path.join(SYNTHETIC, 'blocks-event-loop.ts'), blockedAfterMs: 1000 });
    const exited = once(lab, 'exit');
    // Its 101st request spins forever.
    for (let i = 0; i <= 100; i++) void get(`${lab.url}/user/${i}`).catch(() => undefined);
    const error = await lab.failure;
    assert.equal(error.code, 'EVENT_LOOP_BLOCKED');
    assert.match(error.message, /blocks-event-loop\.ts blocked its event loop/);
    const [exit] = (await exited) as [{ reason: string }];
    assert.equal(exit.reason, 'blocked');
    assert.equal(alive(lab.pid), false);
  });

  it('a cancelled start rejects with CANCELLED and stops the process', async () => {
    const controller = new AbortController();
    const starting = startLab({ entry: path.join(SYNTHETIC, 'never-listens.ts'), signal: controller.signal });
    // startLab has spawned the process by the time it returns (it awaits only the listening).
    controller.abort();
    await assert.rejects(starting, (error: unknown) => error instanceof LabError && error.code === 'CANCELLED');
  });
});

describe('the heartbeat', SAFETY_NET, () => {
  // The heartbeat's timer never keeps a process alive (it watches a lab, nothing more): keep this
  // one alive while the tests wait for its beats.
  let keepAlive: NodeJS.Timeout;
  before(() => (keepAlive = setInterval(() => undefined, 60_000)));
  after(() => clearInterval(keepAlive));

  /**
   * A heartbeat whose beats are real (a 10 ms interval) but whose clock is the test's: silence is
   * what the test says it is, however late a loaded machine runs the beats. Its pings are counted.
   */
  function testHeartbeat() {
    let clock = 0;
    let pings = 0;
    const wakers: Array<() => void> = [];
    let blockedCalls = 0;
    let wakeBlocked: () => void;
    const blocked = new Promise<void>((resolve) => (wakeBlocked = resolve));
    const heartbeat = new Heartbeat({
      blockedAfterMs: 4000,
      intervalMs: 10,
      now: () => clock,
      ping: () => {
        pings += 1;
        for (const wake of wakers.splice(0)) wake();
      },
      onBlocked: () => {
        blockedCalls += 1;
        wakeBlocked();
      },
    });
    return {
      heartbeat,
      /** Move the test's clock on. */
      advance: (ms: number) => (clock += ms),
      /** Resolves after `n` more pings: each is a beat that judged the silence and found it fine. */
      pingsFromNow: (n: number) => {
        const target = pings + n;
        return new Promise<void>((resolve) => {
          const check = () => (pings >= target ? resolve() : wakers.push(check));
          check();
        });
      },
      blocked,
      blockedCalls: () => blockedCalls,
    };
  }

  it('a probe that answers keeps it beating, however long it has run', async () => {
    const { heartbeat, advance, pingsFromNow, blockedCalls } = testHeartbeat();
    heartbeat.start();
    for (let i = 0; i < 5; i++) {
      advance(3000);
      heartbeat.answered();
      await pingsFromNow(1);
    }
    heartbeat.stop();
    assert.equal(blockedCalls(), 0, '15 s of running with an answer every 3 s was called blocked');
  });

  it('silence longer than the limit calls the loop blocked, once, and stops the heartbeat', async () => {
    const { heartbeat, advance, pingsFromNow, blocked, blockedCalls } = testHeartbeat();
    heartbeat.start();
    advance(4000);
    await pingsFromNow(2);
    assert.equal(blockedCalls(), 0, 'silence of exactly the limit is not yet blocked');
    advance(1);
    await blocked;
    let more = false;
    void pingsFromNow(1).then(() => (more = true));
    // A stopped heartbeat pings no more. Were its 10 ms interval still running, it would fire
    // before this 100 ms timer however loaded the machine is: timers run in the order they are due.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(more, false);
    assert.equal(blockedCalls(), 1);
  });

  it('paused, silence is not judged; resumed, it is counted from the resume', async () => {
    const { heartbeat, advance, pingsFromNow, blocked, blockedCalls } = testHeartbeat();
    heartbeat.start();
    heartbeat.pause();
    advance(60_000); // a long snapshot
    await pingsFromNow(3);
    assert.equal(blockedCalls(), 0, 'a paused heartbeat called the loop blocked');
    heartbeat.resume();
    advance(4000);
    await pingsFromNow(2);
    assert.equal(blockedCalls(), 0, 'the silence before the resume was counted');
    advance(1);
    await blocked;
  });
});

describe('the quiet JIT flags', SAFETY_NET, () => {
  it('keeps only the flags a Node binary lists, so a flag a future V8 drops cannot stop labs from starting', () => {
    const listing = [
      '  --sparkplug (enable Sparkplug baseline compiler)',
      '        type: bool  default: --sparkplug',
      '  --opt (alias for --turbofan)',
      '        type: bool  default: --opt',
      '  --flush_bytecode (flush of bytecode when it has not been executed recently)',
      '        type: bool  default: --flush-bytecode',
      '  --max-maglev-inlined-bytecode-size (maximum size of bytecode for a single inlining)',
      '        type: int  default: --max-maglev-inlined-bytecode-size=460',
    ].join('\n');
    assert.deepEqual(acceptedFlags(listing, QUIET_JIT_FLAGS), ['--no-opt', '--no-sparkplug', '--no-flush-bytecode']);
    assert.deepEqual(acceptedFlags('', QUIET_JIT_FLAGS), []);
  });

  it(`this Node (${process.version}) accepts every one of them, and starts with them`, async () => {
    // Each Node line learners run is tested by running this suite on it (scripts/test-node-lines.sh).
    const flags = await quietJitFlags();
    assert.deepEqual(flags, [...QUIET_JIT_FLAGS], `${process.version} lists only ${flags.join(' ')}`);
    const { stdout } = await run(process.execPath, [...flags, '-e', 'process.stdout.write("started")']);
    assert.equal(stdout, 'started');
  });

  it('Node refuses to start on a V8 flag it does not know: why the flags are filtered', async () => {
    await assert.rejects(run(process.execPath, ['--no-leaklab-made-up-tier', '-e', '0']), /bad option: --no-leaklab-made-up-tier/);
  });
});

function run(file: string, args: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout })));
  });
}

describe('summariseStderr', () => {
  it('keeps the error line and the learner\'s frame, not Node internals', () => {
    const stderr = [
      '/work/labs/01/server.ts:12',
      "    cache[id].push(user);",
      '              ^',
      '',
      "TypeError: Cannot read properties of undefined (reading 'push')",
      '    at <anonymous> (/work/labs/01/server.ts:12:15)',
      '    at Layer.handle (/work/node_modules/router/lib/layer.js:152:17)',
      '    at node:internal/process/task_queues:95:5',
    ].join('\n');
    const summary = summariseStderr(stderr, '/work/labs/01/server.ts');
    assert.match(summary, /TypeError: Cannot read properties of undefined/);
    assert.match(summary, /server\.ts:12:15/);
    assert.doesNotMatch(summary, /node:internal|router\/lib/);
  });
});
