/**
 * What the browser may send the hub, checked before anything happens. A lab is named only by an id
 * from the course manifest, a variant is 'learner' or 'solution', a count is one of a few sizes,
 * a snapshot by a name the hub generated. Nothing the browser sends becomes a path or a command.
 * Pure: validation only.
 */
import { LOAD_SIZES, type Variant } from './protocol.ts';

/** A request the hub refuses: its message goes back to the page as it is. */
export class RequestError extends Error {
  override name = 'RequestError';
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError('expected an object');
  return value as Record<string, unknown>;
}

/** The lab id, only if the manifest lists it exactly (no '01' shortcuts, no paths). */
export function labOf(payload: unknown, labIds: readonly string[]): string {
  const lab = record(payload).lab;
  if (typeof lab !== 'string' || !labIds.includes(lab)) {
    throw new RequestError(`unknown lab ${JSON.stringify(lab)}: expected one of ${labIds.join(', ')}`);
  }
  return lab;
}

export function variantOf(payload: unknown): Variant {
  const variant = record(payload).variant ?? 'learner';
  if (variant !== 'learner' && variant !== 'solution') throw new RequestError(`variant must be 'learner' or 'solution'`);
  return variant;
}

export function countOf(payload: unknown): number {
  const count = record(payload).count;
  if (!LOAD_SIZES.includes(count as (typeof LOAD_SIZES)[number])) {
    throw new RequestError(`count must be one of ${LOAD_SIZES.join(', ')}`);
  }
  return count as number;
}

export function roleOf(payload: unknown): 'baseline' | 'later' {
  const role = record(payload).role;
  if (role !== 'baseline' && role !== 'later') throw new RequestError(`role must be 'baseline' or 'later'`);
  return role;
}
