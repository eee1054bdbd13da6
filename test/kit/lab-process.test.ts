/**
 * startLab against real servers: it finds the port the server chose (PORT=0), the probe answers
 * samples with a forced GC, resource counts and gauges, pushes GC events, writes snapshots, and
 * stop() leaves no process. Failures at start come back as LabErrors naming the file, in bounded time.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LabError } from '../../kit/errors.ts';
import { startLab, summariseStderr } from '../../kit/lab-process.ts';
import type { GcEvent } from '../../kit/types.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SYNTHETIC = path.join(ROOT, 'test', 'fixtures', 'synthetic');
const LAB_02 = path.join(ROOT, 'labs', '02-sse-listener', 'server.ts');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'leaklab-process-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

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

describe('startLab on a working server', () => {
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
    const events: GcEvent[] = [];
    lab.on('gc', (event) => events.push(event));
    try {
      assert.equal((await lab.sample(false)).gauges.busListeners, 0);
      await lab.sample(true, { gcCount: 3 });
      const deadline = Date.now() + 2000;
      while (!events.some((e) => e.kind === 'major') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(events.some((e) => e.kind === 'major' && e.durationMs >= 0), `GC events: ${JSON.stringify(events.slice(0, 3))}`);
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
});

describe('startLab on bad input', () => {
  const failing: Array<{ name: string; file: string; code: LabError['code']; timeoutMs?: number }> = [
    { name: 'throws at start', file: 'throws-at-start.ts', code: 'THREW_AT_START' },
    { name: 'never listens', file: 'never-listens.ts', code: 'NEVER_LISTENED', timeoutMs: 2000 },
    { name: 'does not exist', file: 'nope.ts', code: 'ENTRY_NOT_FOUND' },
  ];
  for (const bad of failing) {
    it(`${bad.name} → ${bad.code}, naming the file, and no process left`, async () => {
      const started = Date.now();
      await assert.rejects(startLab({ entry: path.join(SYNTHETIC, bad.file), listenTimeoutMs: bad.timeoutMs }), (error: unknown) => {
        assert.ok(error instanceof LabError);
        assert.equal(error.code, bad.code);
        assert.match(error.message, new RegExp(bad.file.replace('.', '\\.')));
        return true;
      });
      assert.ok(Date.now() - started < (bad.timeoutMs ?? 0) + 5000);
    });
  }

  it('a cancelled start rejects with CANCELLED', async () => {
    const controller = new AbortController();
    const starting = startLab({ entry: path.join(SYNTHETIC, 'never-listens.ts'), signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(starting, (error: unknown) => error instanceof LabError && error.code === 'CANCELLED');
  });
});

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
