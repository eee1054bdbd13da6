/**
 * Where the hub keeps heap snapshots: only output/snapshots/, only under names it generates
 * (`<lab id>-<variant>-<time>-<n>.heapsnapshot`, or `<lab id>-<variant>-near-limit-<time>-<n>...`
 * for one V8 wrote just before the lab ran out of memory), newest few kept. The browser refers to a snapshot
 * by that generated name and nothing else, and a name is accepted only if it matches the pattern and
 * the file is one the store lists, so no request can name another path.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Generated names only: lab id, variant, a timestamp and a counter. No slashes, no dots but the extension. */
const NAME = /^(\d\d-[a-z0-9-]+?)-(learner|solution)-(near-limit-)?(\d{8}T\d{6}Z)-(\d+)\.heapsnapshot$/;

/** What a snapshot is: taken on request from the panel, or written by V8 near the heap limit. */
export type SnapshotKind = 'taken' | 'near-limit';

export interface StoredSnapshot {
  name: string;
  bytes: number;
  mtimeMs: number;
  kind: SnapshotKind;
}

/** The kind a generated name says, or undefined when it is not one of ours. */
export function kindOfName(name: string): SnapshotKind | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  return match[3] ? 'near-limit' : 'taken';
}

export class SnapshotStore {
  private counter = 0;

  constructor(
    /** Absolute path of output/snapshots. */
    readonly dir: string,
    /** How many snapshot files to keep; older ones are deleted after each new one. */
    readonly keep = 6,
  ) {}

  /** A fresh file name for a snapshot of lab `labId`'s `variant`, and its absolute path. */
  async allocate(labId: string, variant: 'learner' | 'solution', kind: SnapshotKind = 'taken'): Promise<{ name: string; path: string }> {
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${labId}-${variant}-${kind === 'near-limit' ? 'near-limit-' : ''}${stamp}-${++this.counter}.heapsnapshot`;
    if (!NAME.test(name)) throw new Error(`internal: generated snapshot name ${name} does not match the pattern`);
    return { name, path: join(this.dir, name) };
  }

  /** Snapshots on disk, newest first. */
  async list(): Promise<StoredSnapshot[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const found: StoredSnapshot[] = [];
    for (const name of names.filter((n) => NAME.test(n))) {
      try {
        const info = await stat(join(this.dir, name));
        if (info.isFile()) found.push({ name, bytes: info.size, mtimeMs: info.mtimeMs, kind: kindOfName(name)! });
      } catch {
        // deleted between readdir and stat: not listed
      }
    }
    return found.sort((a, b) => b.mtimeMs - a.mtimeMs || b.name.localeCompare(a.name));
  }

  /** Delete all but the newest `keep` snapshots (optionally protecting some names still in use). */
  async prune(protect: ReadonlySet<string> = new Set()): Promise<string[]> {
    const all = await this.list();
    const doomed = all.slice(this.keep).filter((s) => !protect.has(s.name));
    await Promise.all(doomed.map((s) => rm(join(this.dir, s.name), { force: true })));
    return doomed.map((s) => s.name);
  }

  /** The absolute path for a name the browser sent, or undefined when it is not one of ours. */
  async resolve(name: unknown): Promise<string | undefined> {
    if (typeof name !== 'string' || !NAME.test(name)) return undefined;
    const listed = await this.list();
    return listed.some((s) => s.name === name) ? join(this.dir, name) : undefined;
  }
}
