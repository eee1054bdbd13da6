/**
 * The heap's numbers as the experiments about the heap limit read them. --max-old-space-size caps
 * V8's old generation: every heap space except the young ones (new space and new large objects)
 * and the read-only space. heapUsed counts every space, the young generation included.
 */
import type { HeapSpaceInfo } from 'node:v8';

/** Spaces that are not part of the old generation. */
const NOT_OLD = new Set(['new_space', 'new_large_object_space', 'read_only_space']);

/** Bytes used in the old generation: what --max-old-space-size limits. */
export function oldGenerationUsed(spaces: readonly HeapSpaceInfo[]): number {
  return spaces.filter((space) => !NOT_OLD.has(space.space_name)).reduce((total, space) => total + space.space_used_size, 0);
}

/** The names of the old generation's spaces among `spaces` (they differ between Node lines). */
export function oldGenerationSpaces(spaces: readonly HeapSpaceInfo[]): string[] {
  return spaces.map((space) => space.space_name).filter((name) => !NOT_OLD.has(name));
}

/** The highest readings a leaking child printed with "peak {...}" lines (see grow-until-oom.ts). */
export interface Peaks {
  heapUsed: number;
  /** heapUsed / heap_size_limit. */
  usedOfLimit: number;
  /** Old generation used / --max-old-space-size. */
  oldGenerationOfCap: number;
  /** heap_size_limit at the last reading: Node may raise it after a near-limit snapshot. */
  limit: number;
  atMs: number;
}

/** Every "peak" line the child printed, in order. */
export function peakLines(stderr: string): Peaks[] {
  return [...stderr.matchAll(/^peak (\{.*\})$/gm)].map((match) => JSON.parse(match[1]!) as Peaks);
}
