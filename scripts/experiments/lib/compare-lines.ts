/**
 * Compare one experiment's output across Node lines: flatten each JSON result into its leaves
 * ("limitMiBByMaxOldSpaceSize.64" → 112) and list the leaves whose values are not the same on every
 * line. Pure: results in, differences out.
 */

export interface FieldDifference {
  /** Dotted path of the leaf in the experiment's output. */
  field: string;
  /** The leaf's value per line (major → JSON text), "(missing)" where a line lacks it. */
  values: Record<string, string>;
}

/** Every leaf of a JSON value as [dotted path, JSON text]; arrays of plain values count as one leaf. */
export function leaves(value: unknown, path = ''): Array<[string, string]> {
  const isPlainArray = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
  if (value === null || typeof value !== 'object' || isPlainArray) return [[path, JSON.stringify(value)]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
}

/** The leaves that differ between the lines' results (keyed by major), in the first line's order. */
export function differingFields(resultsByLine: Record<string, unknown>): FieldDifference[] {
  const flattened = Object.entries(resultsByLine).map(([major, result]) => [major, new Map(leaves(result))] as const);
  const fields = [...new Set(flattened.flatMap(([, map]) => [...map.keys()]))];
  const differences: FieldDifference[] = [];
  for (const field of fields) {
    const values = Object.fromEntries(flattened.map(([major, map]) => [major, map.get(field) ?? '(missing)']));
    if (new Set(Object.values(values)).size > 1) differences.push({ field, values });
  }
  return differences;
}
