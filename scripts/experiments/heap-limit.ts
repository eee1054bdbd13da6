/**
 * Where does the heap limit come from? Without flags V8 sizes it from the machine's memory;
 * --max-old-space-size=N sets the old space to N MiB and heap_size_limit reports that plus the
 * young generation. Each setting needs a fresh process, so this spawns one per setting.
 *
 *   node --import tsx scripts/experiments/heap-limit.ts
 */
import { totalmem } from 'node:os';
import { report } from './lib/harness.ts';
import { evalInFreshNode } from './lib/node-child.ts';

const READ_LIMIT_MIB = 'console.log(require("v8").getHeapStatistics().heap_size_limit / 1048576)';
const OLD_SPACE_SETTINGS_MIB = [64, 256, 1024] as const;

async function limitMiB(flags: string[]): Promise<number> {
  return Number(await evalInFreshNode(flags, READ_LIMIT_MIB));
}

const defaultLimitMiB = await limitMiB([]);
const withFlag: Record<string, number> = {};
for (const oldSpace of OLD_SPACE_SETTINGS_MIB) {
  withFlag[String(oldSpace)] = await limitMiB([`--max-old-space-size=${oldSpace}`]);
}
// What the flag adds on top of the old space: the young generation's share of the limit.
const youngGenerationMiB = withFlag['256']! - 256;

report(
  {
    machineMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    defaultLimitMiB,
    limitMiBByMaxOldSpaceSize: withFlag,
    extraOverOldSpaceMiB: youngGenerationMiB,
  },
  `default heap limit ${defaultLimitMiB} MiB; --max-old-space-size=64 gives ${withFlag['64']} MiB`,
);
