/**
 * The "quiet" V8 flags the checker runs a lab with: they switch off the JIT tiers whose compiled
 * code lands in the heap spaces a post-GC sample reads, so a fixed server's readings stay flat and
 * a leak of a few hundred bytes per request stands out. Leaks are unchanged: they are objects the
 * program keeps, whichever tier runs it.
 *
 * Each flag is kept only if the Node binary accepts it: Node refuses to start on a V8 flag it does
 * not know ("bad option", exit 9), and a flag a future V8 drops must not stop every lab from
 * starting; it only makes the readings a little noisier.
 */
import { execFile } from 'node:child_process';

/** The flags wanted, each with why. */
export const QUIET_JIT_FLAGS = [
  // Turbofan, the optimising tier: its code for hot functions is compiled (and thrown away and
  // compiled again) while load runs, in code space.
  '--no-opt',
  // Maglev, the mid tier: on by default from Node 24, and --no-opt does not stop it (--trace-opt
  // shows Maglev compiling). Measured on Node 24 and 26: without this flag the reference solutions
  // grew 300–550 B per operation in code_space and trusted_space; with it 3–80 B in old space.
  '--no-maglev',
  // Sparkplug, the baseline tier: it compiles each function that gets warm into machine code in
  // code space, one function at a time as the workload reaches new paths, round after round.
  '--no-sparkplug',
  // Bytecode flushing: V8 drops the bytecode of a function that has not run for a few major GCs
  // and compiles it again on its next call. The checker forces several full GCs per sample, so
  // bytecode ages fast: a path the workload visits now and then makes old space dip and come back
  // between samples.
  '--no-flush-bytecode',
] as const;

const acceptedByBinary = new Map<string, Promise<string[]>>();

/** The QUIET_JIT_FLAGS that `node` (default: this process's binary) accepts; asked once per binary. */
export function quietJitFlags(node: string = process.execPath): Promise<string[]> {
  let flags = acceptedByBinary.get(node);
  if (!flags) {
    flags = v8Options(node).then((listing) => acceptedFlags(listing, QUIET_JIT_FLAGS));
    acceptedByBinary.set(node, flags);
  }
  return flags;
}

/**
 * The `--no-X` flags among `wanted` whose boolean `--X` appears in a `node --v8-options` listing:
 *
 *   --maglev (enable the maglev optimizing compiler)
 *         type: bool  default: --maglev
 */
export function acceptedFlags(v8OptionsListing: string, wanted: readonly string[]): string[] {
  const booleans = new Set<string>();
  const lines = v8OptionsListing.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*--([\w-]+)\s/.exec(lines[i]!)?.[1];
    if (name && /^\s*type: bool\b/.test(lines[i + 1] ?? '')) booleans.add(name.replaceAll('_', '-'));
  }
  return wanted.filter((flag) => booleans.has(flag.replace(/^--no-/, '')));
}

/** `node --v8-options`; empty if the binary cannot tell (then no flag is added, and labs still start). */
function v8Options(node: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(node, ['--v8-options'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? '' : stdout));
  });
}
