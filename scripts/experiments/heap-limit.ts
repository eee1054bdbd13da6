/**
 * Where does the heap limit come from? Without flags V8 sizes it from the machine's memory;
 * --max-old-space-size=N caps the old generation at N MiB, and heap_size_limit reports that plus a
 * reserve for the young generation. The reserve is the same for every N here but not on every Node
 * line (the young generation grew in Node 24 and shrank again in 26), so the same flag gives a
 * different heap_size_limit from one line to the next. Each setting needs a fresh process (the limit
 * is fixed at start-up), so this spawns one per setting.
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
// What the flag adds on top of the old space: the young generation's reserve.
const youngGenerationMiB = withFlag['256']! - 256;

report(
  {
    machineMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    defaultLimitMiB,
    // Without flags the old generation gets what is left once the young generation's reserve is taken.
    defaultOldGenerationMiB: defaultLimitMiB - youngGenerationMiB,
    limitMiBByMaxOldSpaceSize: withFlag,
    // The same reserve for every setting: heap_size_limit - N.
    extraOverOldSpaceMiB: Object.fromEntries(Object.entries(withFlag).map(([oldSpace, limit]) => [oldSpace, limit - Number(oldSpace)])),
    youngGenerationMiB,
  },
  `default heap limit ${defaultLimitMiB} MiB; --max-old-space-size=64 gives ${withFlag['64']} MiB (young generation ${youngGenerationMiB} MiB)`,
);
