/**
 * How the CLI talks to the terminal: where text goes and whether it may use colour. Commands get
 * one of these instead of touching process.stdout, so their output is easy to follow and to test.
 */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colours allowed (a TTY without NO_COLOR). */
  color: boolean;
  /** stdout is a TTY: a live readout may rewrite its line. */
  interactive: boolean;
}

export function processTerminal(): Terminal {
  const interactive = Boolean(process.stdout.isTTY);
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: interactive && !process.env.NO_COLOR,
    interactive,
  };
}

/** Exit code for "could not run" and bad usage. */
export const EXIT_COULD_NOT_RUN = 2;
