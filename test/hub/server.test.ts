/**
 * The hub server on a real port: who may talk to it (same origin only, on the API and on
 * socket.io), what the browser may name (manifest lab ids, generated snapshot names), malformed
 * addresses, one job at a time per lab, a burst of forced GCs, and that closing the hub stops every
 * lab it started. Snapshot writing, download and pruning too, in a temporary output folder.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { loadCourse } from '../../kit/manifest.ts';
import { originPolicy, refusal } from '../../hub/origin.ts';
import { startHub, type Hub } from '../../hub/server.ts';
import { alive } from './processes.ts';
import { useScratchLearner } from './scratch.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAB = '01-unbounded-cache';

let hub: Hub;
let socket: Socket;
const scratch = useScratchLearner();
const output = scratch.output;

/** A raw GET with exactly the headers given (fetch would not let us forge Host). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('latin1').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}

function connect(origin: string | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const client = io(hub.url, {
      transports: ['websocket'],
      reconnection: false,
      ...(origin ? { extraHeaders: { origin } } : {}),
    });
    client.once('connect', () => resolve(client));
    client.once('connect_error', (error) => {
      client.close();
      reject(error);
    });
  });
}

const call = (event: string, payload: unknown) =>
  new Promise<Record<string, any>>((resolve) => socket.emit(event, payload, resolve));


before(async () => {
  hub = await startHub({ port: 0 });
  socket = await connect(hub.url);
});

after(async () => {
  socket?.close();
  await hub?.close();
  scratch.cleanUp();
});

describe('origin policy (pure)', () => {
  const policy = originPolicy('127.0.0.1', 4321);
  const table: [string, { host?: string; origin?: string }, boolean, boolean][] = [
    ['own origin', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }, true, true],
    ['localhost alias', { host: 'localhost:4321', origin: 'http://localhost:4321' }, true, true],
    ['no origin on a plain GET', { host: '127.0.0.1:4321' }, true, false],
    ['another site', { host: '127.0.0.1:4321', origin: 'http://evil.example' }, false, false],
    ['another port', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4399' }, false, false],
    ['DNS rebinding host', { host: 'evil.example:4321', origin: 'http://evil.example:4321' }, false, false],
    ['no host', { origin: 'http://127.0.0.1:4321' }, false, false],
  ];
  for (const [name, headers, apiOk, socketOk] of table) {
    it(`${name}: API ${apiOk ? 'allowed' : 'refused'}, socket ${socketOk ? 'allowed' : 'refused'}`, () => {
      assert.equal(refusal(policy, headers, { requireOrigin: false }) === undefined, apiOk);
      assert.equal(refusal(policy, headers, { requireOrigin: true }) === undefined, socketOk);
    });
  }
});

describe('the hub over HTTP', () => {
  it('binds 127.0.0.1 and lists exactly the manifest labs', async () => {
    assert.match(hub.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(`${hub.url}/api/hub`, {});
    assert.equal(answer.status, 200);
    const ids = JSON.parse(answer.body).labs.map((lab: { id: string }) => lab.id);
    assert.deepEqual(ids, loadCourse(ROOT).labs.map((lab) => lab.id));
  });

  it('refuses another origin and a foreign Host header', async () => {
    const port = new URL(hub.url).port;
    assert.equal((await get(`${hub.url}/api/hub`, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await get(`${hub.url}/api/hub`, { host: `evil.example:${port}` })).status, 403);
    assert.equal((await get(`${hub.url}/api/hub`, { 'sec-fetch-site': 'cross-site' })).status, 403);
  });

  it('answers a malformed address with a plain 400: no stack trace, no path on this machine', async () => {
    for (const bad of ['/api/snapshots/%ZZ', '/%ZZ', '/api/source/%E0%A4%A/learner']) {
      const answer = await get(`${hub.url}${bad}`, {});
      assert.equal(answer.status, 400, bad);
      assert.doesNotMatch(answer.body, /\bat\s|URIError|node_modules|\/work\/|\.ts\b/, `${bad}: ${answer.body}`);
      assert.ok(!answer.body.includes(ROOT), `${bad} answered with the project's path`);
    }
  });

  it('serves only generated snapshot names, never a path', async () => {
    for (const name of ['..%2F..%2Fpackage.json', '%2Fetc%2Fpasswd', 'package.json', `${LAB}-learner-20990101T000000Z-1.heapsnapshot`]) {
      const answer = await get(`${hub.url}/api/snapshots/${name}`, {});
      assert.equal(answer.status, 404, name);
      assert.doesNotMatch(answer.body, /"name"|root:/);
    }
  });
});

describe('lab source view (where a retainer path links)', () => {
  it('shows a manifest lab file with numbered line anchors, and nothing else', async () => {
    const page = await get(`${hub.url}/api/source/${LAB}/learner`, {});
    assert.equal(page.status, 200);
    assert.match(page.body, /<span id="L1">/);
    // The learner's own copy (kit/workspace.ts), named as they know it.
    assert.match(page.body, /<title>[^<]*01-unbounded-cache\/server\.ts<\/title>/);
    assert.doesNotMatch(page.body, /<title>labs\//);
    for (const bad of ['01/learner', `${LAB}/..%2F..%2Fpackage.json`, `..%2Fkit/learner`, `${LAB}/other`]) {
      assert.equal((await get(`${hub.url}/api/source/${bad}`, {})).status, 404, bad);
    }
  });
});

describe('the hub over socket.io', () => {
  it('refuses a socket from another origin, or with no origin', async () => {
    await assert.rejects(connect('http://evil.example'));
    await assert.rejects(connect(undefined));
  });

  it('accepts only lab ids from the manifest', async () => {
    for (const lab of ['01', 'unbounded-cache', '../labs/01-unbounded-cache', '/etc/passwd', 42, undefined]) {
      const answer = await call('lab:start', { lab });
      assert.equal(answer.ok, false, `lab ${JSON.stringify(lab)} was accepted`);
      assert.match(answer.error, /unknown lab/);
    }
    const answer = await call('lab:load', { lab: LAB, count: 123456 });
    assert.equal(answer.ok, false);
  });

  it('runs a lab: live samples, load with progress, snapshots written under generated names and pruned, download works', async () => {
    const samples: unknown[] = [];
    const progress: number[] = [];
    socket.on('lab:sample', (p) => samples.push(p));
    socket.on('lab:load-progress', (p) => progress.push(p.done));
    assert.equal((await call('lab:join', { lab: LAB })).ok, true);
    const started = await call('lab:start', { lab: LAB, variant: 'learner' });
    assert.equal(started.ok, true, started.error);
    assert.equal(started.state.status, 'running');
    const loaded = await call('lab:load', { lab: LAB, count: 500 });
    assert.equal(loaded.ok, true, loaded.error);
    assert.deepEqual(loaded.results, [{ variant: 'learner', done: 500 }]);
    assert.ok(progress.length > 0 && Math.max(...progress) === 500, 'progress reached the total');
    const deadline = Date.now() + 3000; // sampled every 0.4 s: two within a second or so
    while (samples.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(samples.length >= 3, `only ${samples.length} live samples arrived in 3 s`);

    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await call('lab:snapshot', { lab: LAB, variant: 'learner', role: i === 0 ? 'baseline' : 'later' });
      assert.equal(answer.ok, true, answer.error);
      names.push(answer.name);
      if (i > 0) assert.ok(answer.analysis.rows.length > 0, 'each later snapshot is compared with the baseline');
    }
    for (const name of names) assert.match(name, /^01-unbounded-cache-learner-\d{8}T\d{6}Z-\d+\.heapsnapshot$/);
    const onDisk = (await readdir(path.join(output, 'snapshots'))).filter((n) => n.endsWith('.heapsnapshot'));
    assert.ok(onDisk.length <= 7, `old snapshots are pruned (newest 6 plus the baseline in use), found ${onDisk.length}`);
    assert.ok(onDisk.includes(names[0]!), 'the baseline in use is kept');

    const download = await get(`${hub.url}/api/snapshots/${names.at(-1)}`, {});
    assert.equal(download.status, 200);
    assert.match(String(download.headers['content-disposition']), /attachment/);
    assert.ok(JSON.parse(download.body).snapshot.meta.node_fields.includes('name'), 'a real .heapsnapshot that DevTools can load');
  });

  it('runs one job at a time per lab: a snapshot waits for the load run', async () => {
    assert.equal((await call('lab:start', { lab: LAB, variant: 'learner' })).ok, true);
    const load = call('lab:load', { lab: LAB, count: 2000 });
    const snapshot = await call('lab:snapshot', { lab: LAB, variant: 'learner', role: 'baseline' });
    assert.equal(snapshot.ok, false);
    assert.match(snapshot.error, /a load run is running for this lab/);
    assert.equal((await load).ok, true);
    const after = await call('lab:snapshot', { lab: LAB, variant: 'learner', role: 'baseline' });
    assert.equal(after.ok, true, after.error);
  });

  it('answers 1,000 quick Force GC requests without queueing 1,000 full GCs, and the lab stays healthy', async () => {
    assert.equal((await call('lab:start', { lab: LAB, variant: 'learner' })).ok, true);
    const forcedSamples: number[] = [];
    const onSample = (p: { sample: { afterGc: boolean; t: number } }) => p.sample.afterGc && forcedSamples.push(p.sample.t);
    socket.on('lab:sample', onSample);
    const answers = await Promise.all(Array.from({ length: 1000 }, () => call('lab:gc', { lab: LAB })));
    socket.off('lab:sample', onSample);
    // Each answer is a forced GC shared with the burst, or a quick refusal: never 1,000 queued GCs.
    assert.ok(answers.every((a) => a.ok || /too many requests at once/.test(a.error)), JSON.stringify(answers.find((a) => !a.ok)));
    assert.ok(answers.some((a) => a.ok && a.forced === 1), 'the burst forced a GC');
    assert.ok(forcedSamples.length <= 10, `${forcedSamples.length} full GCs ran for the burst`);
    const joined = await call('lab:join', { lab: LAB });
    assert.equal(joined.state.sessions[0].status, 'running', 'the lab was not called blocked');
    const again = await call('lab:gc', { lab: LAB });
    assert.equal(again.ok && again.forced, 1, 'and it still answers a forced GC');
  });

  it('stops every lab it started when it closes', async () => {
    const other = await startHub({ port: 0 });
    const client = io(other.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: other.url } });
    await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
    const started = await new Promise<Record<string, any>>((resolve) => client.emit('lab:compare', { lab: LAB }, resolve));
    assert.equal(started.ok, true, started.error);
    const pids = started.states.map((s: { pid: number }) => s.pid);
    assert.equal(pids.length, 2);
    assert.ok(pids.every(alive));
    client.close();
    await other.close();
    assert.ok(!pids.some(alive), 'no lab process outlives the hub');
  });
});
