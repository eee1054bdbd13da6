/**
 * Is the built course (dist/) missing or older than its sources? The site is built from site/,
 * astro.config.mjs, and the lab and solution files it shows as code, so a change in any of them
 * means a rebuild before the hub serves it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Inputs of the site build, relative to the project root. */
export const SITE_SOURCES = ['site', 'astro.config.mjs', 'labs', 'solutions', 'package.json'];

/** Newest modification time (ms) among files under `target`, or 0 when it does not exist. */
export function newestMtime(target: string): number {
  let info;
  try {
    info = statSync(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Why the site needs building, or undefined when dist/ is up to date. */
export function buildNeeded(root: string): string | undefined {
  const built = newestMtime(path.join(root, 'dist', 'index.html'));
  if (built === 0) return 'the course has not been built yet';
  const newest = Math.max(...SITE_SOURCES.map((source) => newestMtime(path.join(root, source))));
  return newest > built ? 'the course sources changed since the last build' : undefined;
}

/** Run `astro build` in the project root, output shown to the user; rejects on failure. */
export function buildSite(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const astro = path.join(root, 'node_modules', 'astro', 'astro.js');
    const child = spawn(process.execPath, [astro, 'build'], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`astro build failed (${signal ?? `exit code ${code}`}); fix the error above and run npm start again`)),
    );
  });
}
