/**
 * `leaklab start`: the same as `npm start`. The hub's entry builds the course when needed, serves
 * it with the live lab panels, and owns the process from then on: it exits on Ctrl-C or SIGTERM
 * after stopping every lab it started.
 */
export async function startCommand(): Promise<number> {
  await import('../../hub/main.ts');
  return new Promise<number>(() => {
    // Never settles: the hub decides when this process ends.
  });
}
