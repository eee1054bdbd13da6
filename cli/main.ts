/**
 * The `leaklab` command line, as a function: parse, dispatch to one command, answer the exit code
 * (0 pass, 1 leak or broken feature, 2 could not run or bad usage). Thin on purpose: every command
 * calls the same kit functions the hub and the tests call.
 */
import { parseArgs } from 'node:util';
import { isLabError } from '../kit/errors.ts';
import { checkCommand } from './commands/check.ts';
import { hintCommand } from './commands/hint.ts';
import { listCommand } from './commands/list.ts';
import { resetCommand } from './commands/reset.ts';
import { runCommand } from './commands/run.ts';
import { scoreboardCommand } from './commands/scoreboard.ts';
import { startCommand } from './commands/start.ts';
import { EXIT_COULD_NOT_RUN, processTerminal, type Terminal } from './terminal.ts';
import { USAGE } from './usage.ts';

/** Run one command line; resolves with the exit code. */
export async function main(argv: string[], term: Terminal = processTerminal()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        solution: { type: 'boolean', default: false },
        entry: { type: 'string' },
        json: { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        port: { type: 'string' },
        reporter: { type: 'string', multiple: true },
        learner: { type: 'string' },
        html: { type: 'string' },
        since: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    term.err(`${(error as Error).message}\nRun \`npx leaklab help\` for the commands.`);
    return EXIT_COULD_NOT_RUN;
  }
  const { values, positionals } = parsed;
  const [command = 'help', ...operands] = positionals;
  const [lab, ...extra] = operands;
  // Only the scoreboard takes many operands (its files); every other command takes at most a lab.
  if (command !== 'scoreboard' && extra.length > 0) {
    term.err(`Unexpected argument "${extra[0]}". Run \`npx leaklab help\` for the commands.`);
    return EXIT_COULD_NOT_RUN;
  }

  try {
    switch (values.help ? 'help' : command) {
      case 'list':
        return listCommand(term, { json: values.json });
      case 'run': {
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
          term.err(`--port must be a port number, got "${values.port}".`);
          return EXIT_COULD_NOT_RUN;
        }
        return await runCommand({ lab, solution: values.solution, entry: values.entry, port }, term);
      }
      case 'check':
        if (!lab && !values.all) {
          term.err('Name a lab (`npx leaklab check 01`) or use `npx leaklab check --all`.');
          return EXIT_COULD_NOT_RUN;
        }
        return await checkCommand(
          { lab, all: values.all, solution: values.solution, entry: values.entry, json: values.json, watch: values.watch, reporters: values.reporter, learner: values.learner },
          term,
        );
      case 'scoreboard':
        return scoreboardCommand({ paths: operands, html: values.html, since: values.since }, term);
      case 'hint':
        return hintCommand(lab, term);
      case 'reset':
        return resetCommand(lab, term);
      case 'start':
        return await startCommand();
      case 'help':
        term.out(USAGE);
        return 0;
      default:
        term.err(`Unknown command "${command}".\n\n${USAGE}`);
        return EXIT_COULD_NOT_RUN;
    }
  } catch (error) {
    if (!isLabError(error)) throw error;
    term.err(error.message);
    return EXIT_COULD_NOT_RUN;
  }
}
