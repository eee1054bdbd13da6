/**
 * How full is "full"? The leaking child runs until V8 aborts it, with --max-old-space-size=64 and
 * =256, and reports its highest readings on the way: heapUsed against heap_size_limit (what an
 * alert on "heapUsed / limit" sees) and the old generation against --max-old-space-size (what V8
 * actually enforces). heap_size_limit also holds the young generation's reserve, which differs
 * between Node lines, so the first ratio never gets near 1 on some lines: an alert at "80% of the
 * heap limit" can stay silent all the way to the crash. The second ratio does get near 1.
 *
 *   node --import tsx scripts/experiments/heap-at-crash.ts
 */
import { fileURLToPath } from 'node:url';
import { MIB, report } from './lib/harness.ts';
import { peakLines } from './lib/heap-numbers.ts';
import { runNode } from './lib/node-child.ts';

const CAPS_MIB = [64, 256] as const;
const subject = fileURLToPath(new URL('./lib/grow-until-oom.ts', import.meta.url));

/** Two decimals: the precision the course quotes ratios with. */
const round = (ratio: number) => Math.round(ratio * 100) / 100;

const byCap: Record<string, unknown> = {};
for (const cap of CAPS_MIB) {
  const outcome = await runNode([`--max-old-space-size=${cap}`, '--import', 'tsx', subject, 'peaks'], { timeoutMs: 120_000 });
  const peaks = peakLines(outcome.stderr);
  const last = peaks.at(-1);
  if (!last) throw new Error(`the child printed no readings: ${outcome.stderr.slice(-500)}`);
  byCap[String(cap)] = {
    exitSignal: outcome.signal,
    heapSizeLimitMiB: peaks[0]!.limit / MIB,
    highestHeapUsedMiB: Math.round(last.heapUsed / MIB),
    highestUsedOfLimit: round(last.usedOfLimit),
    highestOldGenerationOfCap: round(last.oldGenerationOfCap),
    fatalError: /FATAL ERROR: ([^\n]+)/.exec(outcome.stderr)?.[1] ?? null,
  };
}

report(
  { byCap },
  Object.entries(byCap)
    .map(([cap, r]) => {
      const { highestUsedOfLimit, highestOldGenerationOfCap } = r as { highestUsedOfLimit: number; highestOldGenerationOfCap: number };
      return `cap ${cap} MiB: heapUsed reached ${highestUsedOfLimit} of heap_size_limit, the old generation ${highestOldGenerationOfCap} of the cap`;
    })
    .join('; '),
);
