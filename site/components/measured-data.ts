/**
 * Read site/data/measured.json (written from the experiments in scripts/experiments/) for
 * <Measured />. Unknown ids and incomplete entries throw, which fails the build: the site cannot
 * quote a figure no experiment backs.
 *
 * An entry holds either one figure, the same on every Node line it was measured on:
 *   { "claim", "experiment", "kind", "display", "value", "nodes": ["20.20.2", "22.23.5", ...] }
 * or one record per Node line, where the lines differ:
 *   { "claim", "experiment", "kind", "byNode": { "20": { "node": "20.20.2", "display", "value" }, ... } }
 * The claim is one sentence that is true on every line; the display is what the page shows.
 */
import measured from '../data/measured.json';

/** The Node lines the course is measured on, oldest first; a per-line entry must cover each. */
export const NODE_LINES = ['20', '22', '24', '26'] as const;

/** One figure as shown for one or more Node lines that agree on it. */
export interface MeasuredVariant {
  /** Majors that show this figure, e.g. ["20", "22"]. */
  lines: string[];
  /** The exact versions measured, e.g. ["20.20.2", "22.23.5"]. */
  versions: string[];
  display: string;
}

export interface Measurement {
  id: string;
  /** One sentence, true on every measured line: what was measured (the link's tooltip). */
  claim: string;
  /** Anchor of the experiment on /reference/experiments/ that measured it. */
  experiment: string;
  kind: 'text' | 'figure';
  /** One variant when every line agrees; otherwise the lines grouped by what they showed. */
  variants: MeasuredVariant[];
}

interface LineRecord {
  node?: unknown;
  display?: unknown;
}

interface RawEntry {
  claim?: unknown;
  experiment?: unknown;
  kind?: unknown;
  display?: unknown;
  nodes?: unknown;
  byNode?: Record<string, LineRecord>;
}

const table = measured as Record<string, RawEntry | undefined>;

/** Every id the file defines, sorted (for error messages and tests). */
export const measuredIds: readonly string[] = Object.keys(table).sort();

function fail(id: string, problem: string): never {
  throw new Error(`<Measured id="${id}" />: ${problem} (site/data/measured.json)`);
}

/** Group per-line records by what they display, keeping the lines in order. */
function variantsOf(id: string, byNode: Record<string, LineRecord>): MeasuredVariant[] {
  const missing = NODE_LINES.filter((line) => !byNode[line]);
  if (missing.length > 0) fail(id, `byNode lacks Node ${missing.join(', ')}`);
  const variants: MeasuredVariant[] = [];
  for (const line of Object.keys(byNode).sort((a, b) => Number(a) - Number(b))) {
    const record = byNode[line]!;
    if (typeof record.display !== 'string' || typeof record.node !== 'string') fail(id, `byNode.${line} needs "display" and "node"`);
    const same = variants.find((variant) => variant.display === record.display);
    if (same) {
      same.lines.push(line);
      same.versions.push(record.node);
    } else variants.push({ lines: [line], versions: [record.node], display: record.display });
  }
  return variants;
}

/** The entry for `id`; throws when the id is unknown or the entry is incomplete. */
export function lookupMeasurement(id: string): Measurement {
  const item = Object.hasOwn(table, id) ? table[id] : undefined;
  if (!item) fail(id, `no such id. Known ids: ${measuredIds.join(', ')}`);
  if (typeof item.experiment !== 'string' || item.experiment === '') fail(id, 'the entry needs the "experiment" that measured it');
  if (typeof item.claim !== 'string' || item.claim === '') fail(id, 'the entry needs a "claim"');
  if (item.kind !== 'text' && item.kind !== 'figure') fail(id, '"kind" is "text" or "figure"');
  let variants: MeasuredVariant[];
  if (item.byNode) variants = variantsOf(id, item.byNode);
  else {
    const nodes = item.nodes;
    if (typeof item.display !== 'string' || !Array.isArray(nodes) || nodes.length === 0) fail(id, 'the entry needs "display" and "nodes" (or "byNode")');
    const versions = nodes.map(String);
    variants = [{ lines: versions.map((version) => version.split('.')[0]!), versions, display: item.display }];
  }
  return { id, claim: item.claim, experiment: item.experiment, kind: item.kind, variants };
}

/** "Node 20 and 22", "Node 24", "Node 20, 22 and 26": the lines of one variant, for prose. */
export function linesLabel(lines: readonly string[]): string {
  if (lines.length === 1) return `Node ${lines[0]}`;
  return `Node ${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
}
