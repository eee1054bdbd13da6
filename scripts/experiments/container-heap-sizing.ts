/**
 * The knobs for sizing the heap to a container, on the running Node line:
 * - --max-semi-space-size=S sets the young generation's semi-space: heap_size_limit grows by three
 *   times S on top of --max-old-space-size (two semi-spaces plus as much for new large objects);
 * - --max-old-space-size-percentage=P (only on the lines that know it: Node 20 refuses it) gives
 *   the old generation P% of the memory Node sees, the smaller of the machine's memory and the
 *   container's limit;
 * - process.constrainedMemory() is that container limit as Node reads it from the cgroup (a huge
 *   number, or 0, when there is none).
 *
 *   node --import tsx scripts/experiments/container-heap-sizing.ts
 */
import { totalmem } from 'node:os';
import { report } from './lib/harness.ts';
import { runNode } from './lib/node-child.ts';

const MIB = 1024 * 1024;
const READ_LIMIT_MIB = 'console.log(require("v8").getHeapStatistics().heap_size_limit / 1048576)';
const OLD_SPACE_MIB = 256;
const SEMI_SPACES_MIB = [8, 16, 32] as const;
const PERCENTAGE = 25;

/** heap_size_limit with `flags`, or the error Node printed when it refused them. */
async function limitWith(flags: string[]): Promise<{ limitMiB: number | null; refused: string | null }> {
  const outcome = await runNode([...flags, '-e', READ_LIMIT_MIB]);
  if (outcome.code === 0) return { limitMiB: Number(outcome.stdout.trim()), refused: null };
  return { limitMiB: null, refused: outcome.stderr.trim().split('\n')[0]!.replace(`${process.execPath}: `, '') };
}

// 1. The semi-space flag moves heap_size_limit by three times its value.
const youngReserveBySemiSpace: Record<string, number> = {};
for (const semi of SEMI_SPACES_MIB) {
  const { limitMiB } = await limitWith([`--max-old-space-size=${OLD_SPACE_MIB}`, `--max-semi-space-size=${semi}`]);
  youngReserveBySemiSpace[String(semi)] = limitMiB! - OLD_SPACE_MIB;
}
const defaultYoungReserveMiB = (await limitWith([`--max-old-space-size=${OLD_SPACE_MIB}`])).limitMiB! - OLD_SPACE_MIB;

// 2. The percentage flag: accepted or not, and what the old generation gets.
const constrained = process.constrainedMemory();
// Node reports "no limit" as 0 or as a value near 2^64, depending on the line and the cgroup version.
const containerLimit = constrained > 0 && constrained < 2 ** 62 ? constrained : null;
const memorySeen = Math.min(totalmem(), containerLimit ?? Infinity);
const percentage = await limitWith([`--max-old-space-size-percentage=${PERCENTAGE}`]);
const percentageOldGenerationMiB = percentage.limitMiB === null ? null : percentage.limitMiB - defaultYoungReserveMiB;

report(
  {
    oldSpaceMiB: OLD_SPACE_MIB,
    defaultYoungReserveMiB,
    defaultSemiSpaceMiB: defaultYoungReserveMiB / 3,
    youngReserveBySemiSpace,
    percentageFlag: {
      percentage: PERCENTAGE,
      accepted: percentage.limitMiB !== null,
      refusedWith: percentage.refused,
      oldGenerationMiB: percentageOldGenerationMiB,
      // What P% of the memory Node sees would be, for comparison.
      expectedOldGenerationMiB: Math.floor(((memorySeen / MIB) * PERCENTAGE) / 100),
    },
    constrainedMemory: { reported: constrained, containerLimitMiB: containerLimit === null ? null : containerLimit / MIB, machineMiB: Math.round(totalmem() / MIB) },
  },
  `young reserve ${defaultYoungReserveMiB} MiB (semi-space ${defaultYoungReserveMiB / 3} MiB); ` +
    `--max-old-space-size-percentage=${PERCENTAGE}: ${percentage.refused ?? `${percentageOldGenerationMiB} MiB old generation`}`,
);
