/** `leaklab list`: the labs in course order with the status of each one's last check. */
import { readProgress } from '../../kit/progress.ts';
import { course } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

const SHOWN = { pass: '✓ pass', leak: '✗ leak', broken: '✗ broken', inconclusive: '? inconclusive', error: '! could not run' } as const;

export function listCommand(term: Terminal): number {
  const loaded = course();
  const progress = readProgress(loaded.root);
  term.out('Labs (status of your workspace/<lab>/server.ts at its last check):\n');
  for (const lab of loaded.labs) {
    const last = progress.lastChecks[lab.id];
    const status = last ? `${SHOWN[last.status]} (${last.at.slice(0, 16).replace('T', ' ')})` : 'not checked';
    const hints = progress.hintsShown[lab.id] ? `, ${progress.hintsShown[lab.id]}/${lab.hints.length} hints` : '';
    term.out(`  ${lab.number}  ${lab.title.padEnd(28)} ${lab.slug.padEnd(20)} ${status}${hints}`);
  }
  const passed = loaded.labs.filter((lab) => progress.lastChecks[lab.id]?.status === 'pass').length;
  term.out(`\n${passed} of ${loaded.labs.length} fixed. Next: \`leaklab check <lab>\`, or \`leaklab hint <lab>\` when stuck.`);
  return 0;
}
