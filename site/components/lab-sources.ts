/**
 * The text of the labs' and solutions' TypeScript files, bundled at build time, so lab pages can
 * show the real code (and the fix as a diff) by lab id instead of each page importing paths.
 */

const labFiles = import.meta.glob<string>('../../labs/*/*.ts', { query: '?raw', import: 'default', eager: true });
const solutionFiles = import.meta.glob<string>('../../solutions/*/*.ts', { query: '?raw', import: 'default', eager: true });

function pick(files: Record<string, string>, folder: string, lab: string, file: string): string {
  const text = files[`../../${folder}/${lab}/${file}`];
  if (text === undefined) throw new Error(`No file ${folder}/${lab}/${file} in the repository.`);
  return text;
}

/** A lab file's text, e.g. labFile('01-unbounded-cache', 'server.ts'). */
export function labFile(lab: string, file: string): string {
  return pick(labFiles, 'labs', lab, file);
}

/** A reference solution file's text, e.g. solutionFile('01-unbounded-cache', 'server.ts'). */
export function solutionFile(lab: string, file: string): string {
  return pick(solutionFiles, 'solutions', lab, file);
}
