/**
 * The course manifest: the shipped labs/course.json loads, every way of naming a lab resolves, and a
 * broken manifest is refused with one error that lists every problem in words a course author acts on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CourseError, findLab, loadCourse, projectRoot } from '../../kit/manifest.ts';

describe('the shipped manifest', () => {
  const course = loadCourse();

  test('lists the labs in order under their fixed folder names, with paths under the project root', () => {
    assert.equal(course.root, projectRoot());
    // The site and the hub link to these folder names: renaming one is a breaking change.
    assert.deepEqual(
      course.labs.map((lab) => lab.id),
      [
        '01-unbounded-cache',
        '02-sse-listener',
        '03-closure-capture',
        '04-uncleared-interval',
        '05-outside-the-heap',
        '06-socket-state',
        '07-post-mortem',
      ],
    );
    for (const lab of course.labs) {
      assert.equal(lab.dir, path.join(course.root, 'labs', lab.id));
      assert.equal(lab.shippedFile, path.join(lab.dir, 'server.ts'));
      // The learner's own copy lives apart from the course's (kit/workspace.ts).
      assert.equal(lab.serverFile, path.join(lab.workspaceDir, 'server.ts'));
      assert.equal(path.basename(lab.workspaceDir), lab.id);
      assert.equal(lab.solutionFile, path.join(course.root, 'solutions', lab.id, 'server.ts'));
      assert.equal(lab.readme, path.join(lab.dir, 'README.md'));
      assert.equal(lab.labPage, `/labs/${lab.id}/`);
      assert.ok(lab.hints.length >= 3, `${lab.id} has at least three hints`);
    }
  });

  test('links each lab to the course page that teaches its cause, and names its unit of load', () => {
    assert.deepEqual(
      course.labs.map((lab) => [lab.coursePage, lab.operation]),
      [
        ['/causes/unbounded-cache/', 'request'],
        ['/causes/event-listeners/', 'SSE connection'],
        ['/causes/closures/', 'price refresh'],
        ['/causes/timers/', 'socket.io connection'],
        ['/how-v8-works/memory-numbers/', 'upload'],
        ['/patterns/socketio/', 'socket.io connection'],
        ['/detect/crashes-and-gc/', 'request'],
      ],
    );
  });

  const names: [string, string][] = [
    ['01', '01-unbounded-cache'],
    ['unbounded-cache', '01-unbounded-cache'],
    ['01-unbounded-cache', '01-unbounded-cache'],
    ['02', '02-sse-listener'],
    ['sse-listener', '02-sse-listener'],
    ['03-closure-capture', '03-closure-capture'],
    ['04', '04-uncleared-interval'],
    ['Uncleared-Interval', '04-uncleared-interval'],
  ];
  for (const [name, id] of names) {
    test(`"${name}" names lab ${id}`, () => {
      assert.equal(findLab(course, name).id, id);
    });
  }

  for (const name of ['08', '1', 'cache', '', 'labs/01-unbounded-cache']) {
    test(`"${name}" is refused with the list of valid names`, () => {
      assert.throws(
        () => findLab(course, name),
        (error: unknown) =>
          error instanceof CourseError &&
          error.message.includes(`"${name}"`) &&
          error.message.includes('01 (unbounded-cache)') &&
          error.message.includes('07 (post-mortem)'),
      );
    });
  }
});

describe('a broken manifest', () => {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A throwaway project whose labs/<id> folders hold server.ts, README.md and a solution. */
  function project(manifest: unknown, labFolders: string[] = ['01-unbounded-cache', '02-sse-listener']): string {
    const root = mkdtempSync(path.join(tmpdir(), 'leaklab-manifest-'));
    roots.push(root);
    for (const id of labFolders) {
      mkdirSync(path.join(root, 'labs', id), { recursive: true });
      mkdirSync(path.join(root, 'solutions', id), { recursive: true });
      writeFileSync(path.join(root, 'labs', id, 'server.ts'), '');
      writeFileSync(path.join(root, 'labs', id, 'README.md'), '');
      writeFileSync(path.join(root, 'labs', id, 'check.ts'), '');
      writeFileSync(path.join(root, 'solutions', id, 'server.ts'), '');
    }
    if (manifest !== undefined) {
      const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
      writeFileSync(path.join(root, 'labs', 'course.json'), text);
    }
    return root;
  }

  const goodLab = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    title: 'A lab',
    cause: 'Something keeps memory alive.',
    operation: 'request',
    coursePage: '/causes/unbounded-cache/',
    hints: ['look', 'look closer', 'nearly the answer'],
    ...extra,
  });

  test('a valid two-lab manifest loads (the baseline the cases below break)', () => {
    const course = loadCourse(project({ labs: [goodLab('01-unbounded-cache'), goodLab('02-sse-listener')] }));
    assert.deepEqual(
      course.labs.map((lab) => [lab.number, lab.slug]),
      [
        ['01', 'unbounded-cache'],
        ['02', 'sse-listener'],
      ],
    );
  });

  const cases: { name: string; manifest: unknown; folders?: string[]; expect: RegExp[] }[] = [
    { name: 'no manifest file', manifest: undefined, expect: [/course\.json not found/] },
    { name: 'not JSON', manifest: '{ "labs": [ ', expect: [/not valid JSON/] },
    { name: 'not an object', manifest: [], expect: [/must be a JSON object/] },
    { name: 'no labs', manifest: { labs: [] }, expect: [/"labs" must be a non-empty array/] },
    { name: 'a typo in a top-level key', manifest: { labz: [], labs: [goodLab('01-unbounded-cache')] }, expect: [/unknown top-level key "labz"/] },
    { name: 'an id without its number', manifest: { labs: [goodLab('unbounded-cache')] }, expect: [/labs\[0\]\.id must look like "01-unbounded-cache"/] },
    { name: 'an empty title', manifest: { labs: [goodLab('01-unbounded-cache', { title: ' ' })] }, expect: [/\.title must be a non-empty string/] },
    { name: 'a cause over two lines', manifest: { labs: [goodLab('01-unbounded-cache', { cause: 'one\ntwo' })] }, expect: [/\.cause must be one line/] },
    { name: 'no unit of load', manifest: { labs: [goodLab('01-unbounded-cache', { operation: '' })] }, expect: [/\.operation must be a non-empty string/] },
    { name: 'a crash run that does not say when it dies', manifest: { labs: [goodLab('01-unbounded-cache', { crashRun: { heapMb: 64 } })] }, expect: [/\.crashRun must be \{ "heapMb"/] },
    { name: 'a course page that is not a site path', manifest: { labs: [goodLab('01-unbounded-cache', { coursePage: 'causes/caches' })] }, expect: [/\.coursePage must be a site path/] },
    { name: 'only two hints', manifest: { labs: [goodLab('01-unbounded-cache', { hints: ['a', 'b'] })] }, expect: [/\.hints must be an array of at least 3 hints/] },
    { name: 'an empty hint', manifest: { labs: [goodLab('01-unbounded-cache', { hints: ['a', '', 'c'] })] }, expect: [/\.hints\[1\] is empty/] },
    { name: 'a misspelt lab key', manifest: { labs: [goodLab('01-unbounded-cache', { hint: [] })] }, expect: [/unknown key "hint"/] },
    { name: 'a lab whose folder is missing', manifest: { labs: [goodLab('03-closure-capture')] }, expect: [/the server file labs\/03-closure-capture\/server\.ts does not exist/, /the check plan file labs\/03-closure-capture\/check\.ts does not exist/, /the solution file/, /the README file/] },
    { name: 'the same lab twice', manifest: { labs: [goodLab('01-unbounded-cache'), goodLab('01-unbounded-cache')] }, expect: [/two labs share the id "01-unbounded-cache"/] },
    { name: 'labs out of order', manifest: { labs: [goodLab('02-sse-listener'), goodLab('01-unbounded-cache')] }, expect: [/listed in order of their numbers: 01-unbounded-cache comes after 02-sse-listener/] },
  ];

  for (const { name, manifest, folders, expect } of cases) {
    test(`is refused: ${name}`, () => {
      const root = project(manifest, folders);
      assert.throws(
        () => loadCourse(root),
        (error: unknown) => {
          assert.ok(error instanceof CourseError, 'a CourseError');
          for (const pattern of expect) assert.match(error.message, pattern);
          return true;
        },
      );
    });
  }

  test('lists every problem at once, not only the first', () => {
    const root = project({
      labs: [goodLab('01-unbounded-cache', { title: '', hints: ['only one'] }), goodLab('2-sse', { operation: '' })],
    });
    assert.throws(
      () => loadCourse(root),
      (error: unknown) => {
        assert.ok(error instanceof CourseError);
        assert.equal(error.problems.length, 4, error.message);
        assert.match(error.message, /has 4 problems:/);
        return true;
      },
    );
  });
});
