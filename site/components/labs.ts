/**
 * The labs as the site shows them, read from the course manifest labs/course.json (the one place
 * that holds titles, causes and hints, shared with the CLI and the hub). An unknown lab id throws,
 * so a wrong link or panel fails the build instead of pointing nowhere.
 */
import course from '../../labs/course.json';

export interface LabInfo {
  /** Folder name under labs/ and solutions/, e.g. '01-unbounded-cache'. */
  id: string;
  /** What the CLI accepts as the short name, e.g. '01'. */
  number: string;
  title: string;
  /** One sentence: what keeps memory alive in this lab. */
  cause: string;
  /** The unit of load the checker drives, e.g. 'SSE connection'. */
  operation: string;
  /** The course page that explains this leak, e.g. '/causes/unbounded-cache/'. */
  coursePage: string;
  /** This lab's page on the site. */
  labPage: string;
  /** Progressive hints, the last one close to the answer. */
  hints: string[];
}

interface ManifestLab {
  id: string;
  title: string;
  cause: string;
  operation: string;
  coursePage: string;
  hints: string[];
}

/** All labs in course order. */
export const LABS: readonly LabInfo[] = (course as { labs: ManifestLab[] }).labs.map((lab) => ({
  id: lab.id,
  number: lab.id.slice(0, 2),
  title: lab.title,
  cause: lab.cause,
  operation: lab.operation,
  coursePage: lab.coursePage,
  labPage: `/labs/${lab.id}/`,
  hints: lab.hints,
}));

/** The lab with this folder name; throws on anything else. */
export function labById(id: string): LabInfo {
  const lab = LABS.find((candidate) => candidate.id === id);
  if (!lab) throw new Error(`Unknown lab "${id}". Known labs: ${LABS.map((l) => l.id).join(', ')}`);
  return lab;
}
