/**
 * Look up one entry of site/data/measured.json (written from the experiments in
 * scripts/experiments/) for <Measured />. Unknown ids and incomplete entries throw, which fails
 * the build: the site cannot quote a figure no experiment backs.
 */
import measured from '../data/measured.json';

export interface Measurement {
  id: string;
  /** The figure or text as the course shows it, e.g. "10" or "8 MB". */
  display: string;
  /** One sentence: what was measured (shown as the link's tooltip). */
  claim: string;
  /** Anchor of the experiment on /reference/experiments/ that measured it; null when the figure
   *  was measured outside the repository (then `source` says where, e.g. "FACTS #7"). */
  experiment: string | null;
  source: string;
}

const table = measured as Record<string, Partial<Omit<Measurement, 'id'>> | undefined>;

/** Every id the file defines, sorted (for error messages and tests). */
export const measuredIds: readonly string[] = Object.keys(table).sort();

/** The entry for `id`; throws when the id is unknown or the entry lacks display/experiment. */
export function lookupMeasurement(id: string): Measurement {
  const item = Object.hasOwn(table, id) ? table[id] : undefined;
  if (!item) {
    throw new Error(`<Measured id="${id}" />: no such id in site/data/measured.json. Known ids: ${measuredIds.join(', ')}`);
  }
  const experiment = typeof item.experiment === 'string' ? item.experiment : null;
  const source = typeof item.source === 'string' ? item.source : '';
  if (typeof item.display !== 'string' || (experiment === null && source === '')) {
    throw new Error(`<Measured id="${id}" />: the entry needs a "display" string and an "experiment" (or a "source").`);
  }
  return { id, display: item.display, claim: item.claim ?? '', experiment, source };
}
