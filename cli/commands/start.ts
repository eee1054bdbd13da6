/** `leaklab start`: until the hub takes this over, say where the course and the labs are. */
import path from 'node:path';
import { course } from '../resolve.ts';
import type { Terminal } from '../terminal.ts';

export function startCommand(term: Terminal): number {
  const loaded = course();
  term.out('Leak Lab: where to begin\n');
  term.out('  The course:  npm run site:dev   (then open the URL it prints)');
  term.out('  The hub:     npm start           (the course with live lab panels, when available)\n');
  term.out('  The labs:');
  for (const lab of loaded.labs) {
    term.out(`    ${lab.number}  ${lab.title.padEnd(28)} ${path.relative(loaded.root, lab.serverFile)}`);
  }
  term.out('\n  Then: leaklab run 01 · leaklab check 01 · leaklab hint 01 · leaklab list');
  return 0;
}
