/**
 * The lab panel's browser code (site/scripts/hub) type-checks against the DOM library and the
 * hub's event maps (hub/protocol.ts), without Node's types: an event that changed shape on one
 * side, or a browser script that reaches for a Node module, fails here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('site/scripts/hub type-checks with the DOM library and the hub protocol', async () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'site/scripts/hub'], { cwd: ROOT }).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
  assert.equal(result.code, 0, `tsc -p site/scripts/hub found errors:\n${result.output}`);
});
