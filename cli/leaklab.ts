/**
 * The `leaklab` executable: run the command line and exit with its code. Exiting explicitly means a
 * finished command never lingers on a stray handle, and the orphan guard's 'exit' hook stops any
 * lab process still running.
 */
import { stopAllLabs } from '../kit/lab-process.ts';
import { main } from './main.ts';
import { EXIT_COULD_NOT_RUN } from './terminal.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    stopAllLabs();
    console.error(error);
    process.exit(EXIT_COULD_NOT_RUN);
  },
);
