/**
 * The four labs as the site names them. Folder names are fixed by ARCHITECTURE.md; an unknown id
 * throws so that a wrong link fails the build instead of pointing nowhere.
 */

export interface LabInfo {
  /** Folder name under labs/ and solutions/, e.g. '01-unbounded-cache'. */
  id: string;
  /** What the CLI accepts as the short name, e.g. '01'. */
  number: string;
  title: string;
  /** One sentence: the server and what goes wrong. */
  story: string;
  /** The cause page that explains this leak. */
  cause: string;
}

export const LABS: readonly LabInfo[] = [
  {
    id: '01-unbounded-cache',
    number: '01',
    title: 'The cache that never forgets',
    story: 'A profile service keeps every user record it has ever fetched from the database.',
    cause: '/causes/unbounded-cache/',
  },
  {
    id: '02-sse-listener',
    number: '02',
    title: 'The listener that outlives its client',
    story: 'An order tracker streams updates to dashboards over Server-Sent Events, and every dashboard ever opened stays subscribed to the order bus.',
    cause: '/causes/event-listeners/',
  },
  {
    id: '03-closure-capture',
    number: '03',
    title: 'The closure that keeps every price list',
    story: 'A pricing service loads a new price table on every refresh, and each table quietly keeps the one before it.',
    cause: '/causes/closures/',
  },
  {
    id: '04-uncleared-interval',
    number: '04',
    title: 'The interval nobody clears',
    story: 'A live telemetry dashboard starts a timer for every socket.io connection and never stops it.',
    cause: '/causes/timers/',
  },
];

/** The lab with this folder name; throws on anything else. */
export function labById(id: string): LabInfo {
  const lab = LABS.find((candidate) => candidate.id === id);
  if (!lab) throw new Error(`Unknown lab "${id}". Known labs: ${LABS.map((l) => l.id).join(', ')}`);
  return lab;
}
