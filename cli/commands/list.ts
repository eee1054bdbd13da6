/**
 * `leaklab list [--json]`: the labs in course order with the status of each one's last check (from
 * the hub or the terminal: one progress store). `--json` prints one array for editors and scripts:
 * each lab's id, its file (the learner's, relative to the project root) and its status.
 */
import path from 'node:path';
import { readProgress, type LastCheck } from '../../kit/progress.ts';
import { course } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

const SHOWN: Record<string, string> = { pass: '✓ pass', leak: '✗ leak', broken: '✗ broken', error: '! could not run', inconclusive: '? inconclusive' };

/** One lab in `list --json`. */
export interface ListedLab {
  id: string;
  number: string;
  title: string;
  /** The learner's server file, relative to the project root, with forward slashes. */
  file: string;
  /** The last check's status, or 'not checked'. */
  status: LastCheck['status'] | 'not checked';
  /** When that check ran (ISO time). */
  checkedAt?: string;
  hintsShown: number;
  hints: number;
}

export function listCommand(term: Terminal, options: { json?: boolean } = {}): number {
  const loaded = course();
  const progress = readProgress(loaded.root);
  const labs: ListedLab[] = loaded.labs.map((lab) => {
    const last = progress.lastChecks[lab.id];
    return {
      id: lab.id,
      number: lab.number,
      title: lab.title,
      file: path.relative(loaded.root, lab.serverFile).split(path.sep).join('/'),
      status: last?.status ?? 'not checked',
      ...(last ? { checkedAt: last.at } : {}),
      hintsShown: progress.hintsShown[lab.id] ?? 0,
      hints: lab.hints.length,
    };
  });
  if (options.json) {
    term.out(JSON.stringify(labs, null, 2));
    return 0;
  }
  term.out('Labs (status of your workspace/<lab>/server.ts at its last check, from the terminal or the hub):\n');
  for (const lab of labs) {
    const status = lab.checkedAt ? `${SHOWN[lab.status] ?? lab.status} (${lab.checkedAt.slice(0, 16).replace('T', ' ')})` : 'not checked';
    const hints = lab.hintsShown ? `, ${lab.hintsShown}/${lab.hints} hints` : '';
    term.out(`  ${lab.number}  ${lab.title.padEnd(28)} ${lab.file.padEnd(40)} ${status}${hints}`);
  }
  const passed = labs.filter((lab) => lab.status === 'pass').length;
  term.out(`\n${passed} of ${labs.length} fixed. Next: \`npx leaklab check <lab>\`, or \`npx leaklab hint <lab>\` when stuck.`);
  return 0;
}
