/**
 * Small values that keep big ones alive. V8 makes a substring above a short length (the experiment
 * finds which) as a "sliced string" that points into its parent, so keeping a 20-character slice of a 1 MB string
 * keeps the whole megabyte (a copy keeps only 20 characters; a 10-character slice is copied
 * anyway). A string built with += is a tree of "cons strings" that costs several times its
 * characters until V8 flattens it. buf.subarray() is a view: 32 bytes kept of a 1 MB Buffer keep the
 * megabyte. And small Buffers made from strings share a pool slab of Buffer.poolSize bytes: one
 * small Buffer kept keeps its whole slab.
 *
 *   node --import tsx scripts/experiments/views-of-big-data.ts
 */
import { ensureFlags, report, settleHeap, toMiB } from './lib/harness.ts';

const PARENTS = 100;
const PARENT_BYTES = 1_000_000;
const PIECES = 100_000;
/** Strings built at once for the += figures (each distinct: built at run time, never shared). */
const COPIES = 4;
const SLABS = 200;
/** Unpooled small Buffers are a few hundred bytes each: many of them, so the heap's own noise averages out. */
const UNPOOLED = 20_000;

/** Post-GC growth of heapUsed + arrayBuffers (or of arrayBuffers `only`) while what `build` returns stays reachable. */
async function retainedBytes(build: () => unknown, only?: 'arrayBuffers'): Promise<number> {
  const read = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return only === 'arrayBuffers' ? arrayBuffers : heapUsed + arrayBuffers;
  };
  await settleHeap();
  const before = read();
  const kept = build();
  await settleHeap();
  const bytes = read() - before;
  void kept;
  return bytes;
}

/** A distinct 1 MB string (distinct, so V8 cannot share one parent between them). */
const bigString = (i: number) => `${i}:${'y'.repeat(PARENT_BYTES)}`;

/** `PIECES` short pieces joined with +=, as a log line or a CSV export is often built. */
function builtWithPlus(): string {
  let text = '';
  for (let i = 0; i < PIECES; i++) text += `piece-${i % 10}-`;
  return text;
}

if (ensureFlags(import.meta.url, ['--expose-gc'])) {
  const strings = {
    slice20MiB: toMiB(await retainedBytes(() => Array.from({ length: PARENTS }, (_, i) => bigString(i).slice(0, 20)))),
    copy20MiB: toMiB(await retainedBytes(() => Array.from({ length: PARENTS }, (_, i) => Buffer.from(bigString(i).slice(0, 20)).toString()))),
    slice10MiB: toMiB(await retainedBytes(() => Array.from({ length: PARENTS }, (_, i) => bigString(i).slice(0, 10)))),
    // Per string, of COPIES kept at once: the heap's own movement between two post-GC readings (up
    // to a quarter of a MiB) is then shared out, instead of landing on one 0.76 MiB string.
    builtWithPlusMiB: toMiB((await retainedBytes(() => Array.from({ length: COPIES }, builtWithPlus))) / COPIES),
    // Reading through a regular expression makes V8 flatten the tree into one run of characters.
    flattenedMiB: toMiB(
      (await retainedBytes(() =>
        Array.from({ length: COPIES }, () => {
          const text = builtWithPlus();
          /z/.test(text);
          return text;
        }),
      )) / COPIES,
    ),
    characters: PIECES * 'piece-0-'.length,
  };

  // The shortest slice that keeps its parent: 20 parents per length, kept when > half of them stay.
  let slicedFromLength: number | null = null;
  for (let length = 8; length <= 20 && slicedFromLength === null; length++) {
    const kept = await retainedBytes(() => Array.from({ length: 20 }, (_, i) => bigString(i).slice(0, length)));
    if (kept > 10 * PARENT_BYTES) slicedFromLength = length;
  }

  const buffers = {
    subarrayMiB: toMiB(await retainedBytes(() => Array.from({ length: PARENTS }, () => Buffer.alloc(PARENT_BYTES).subarray(0, 32)))),
    copyMiB: toMiB(await retainedBytes(() => Array.from({ length: PARENTS }, () => Buffer.from(Buffer.alloc(PARENT_BYTES).subarray(0, 32))))),
  };

  // Keep the first small Buffer of each pool slab and let the rest of the slab go. A slab is an
  // ArrayBuffer, so only arrayBuffers is read: heapUsed adds the JIT's own few hundred KiB now and
  // then, which had put one run 15 % over a slab per Buffer. An unpooled 16-byte Buffer lives in
  // the JS heap itself (V8 keeps small typed arrays there), so it is read with heapUsed.
  const poolSize = Buffer.poolSize;
  const filler = 'f'.repeat(1000);
  const pooledKeptBytes = await retainedBytes(() => {
    const kept: Buffer[] = [];
    for (let slab = 0; slab < SLABS; slab++) {
      kept.push(Buffer.from(`small-${slab}`));
      for (let used = 16; used < poolSize; used += filler.length) Buffer.from(filler);
    }
    return kept;
  }, 'arrayBuffers');
  const unpooledKeptBytes = await retainedBytes(() => Array.from({ length: UNPOOLED }, () => Buffer.alloc(16)));

  report(
    {
      strings: { ...strings, slicedFromLength },
      buffers,
      pool: {
        poolSize,
        keptPerSlab: 1,
        pooledBytesPerKept: Math.round(pooledKeptBytes / SLABS),
        unpooledBytesPerKept: Math.round(unpooledKeptBytes / UNPOOLED),
      },
    },
    `20-char slices of 1 MB strings keep ${strings.slice20MiB} MiB (copies ${strings.copy20MiB}); += string ${strings.builtWithPlusMiB} MiB, flat ${strings.flattenedMiB}; ` +
      `subarray ${buffers.subarrayMiB} MiB; one pooled Buffer keeps ${Math.round(pooledKeptBytes / SLABS)} B (pool ${poolSize})`,
  );
}
