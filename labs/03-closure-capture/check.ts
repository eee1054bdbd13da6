/**
 * Lab 03's check plan. The unit of load is a price refresh (POST /prices/refresh), one after
 * another as the nightly job runs them, now and then two at once; between refreshes, price
 * lookups and the summary are read and compared with the catalogue, including an unknown SKU.
 * Every answer is checked: a refresh loads the next version and counts exactly the prices that
 * changed; a lookup answers the newest table's price. The leaky server keeps every previous price
 * table alive through a closure context shared with the live `lookup`: ~40 KiB per refresh.
 */
import { functionalCheck, LoadTally, simpleRun, type LabCheck, type LabContext, type LabRun } from '../../kit/check-plan.ts';
import { httpRequest, jsonBody, runCounted } from '../../kit/load/index.ts';
import { priceAt, SKU_COUNT, skuAt } from './catalog.ts';

interface RefreshAnswer {
  version: number;
  changed: number;
}

const REFRESH = 'each refresh loads the next version and counts the prices that changed';
const LOOKUP = 'a price lookup answers the newest table\u2019s price, and an unknown SKU is a 404';

/** How many products cost something different in `version` than in the version before. */
function expectedChanges(version: number): number {
  let changed = 0;
  for (let i = 0; i < SKU_COUNT; i++) if (priceAt(version, i) !== priceAt(version - 1, i)) changed += 1;
  return changed;
}

/**
 * An id that is no product, in turn of three shapes: not a SKU at all, past the catalogue's end,
 * and a real product's number without its zeros ('SKU-42' for 'SKU-00042'). A table indexed by the
 * number parsed from the id answers the last two; the shipped Map, keyed by the exact SKU, does not.
 */
function unknownSku(number: number): [sku: string, why: string] {
  const shape = Math.floor(number / 11) % 3;
  if (shape === 0) return [`SKU-NONE-${number}`, 'no such product'];
  if (shape === 1) return [skuAt(SKU_COUNT + (number % 1000)), `past the last of the ${SKU_COUNT} products`];
  const index = (number * 37) % SKU_COUNT;
  return [`SKU-${index}`, `not ${skuAt(index)}: a SKU has five digits`];
}

async function startRun(ctx: LabContext): Promise<LabRun> {
  const tally = new LoadTally();
  tally.promise(REFRESH, (kept) => `${kept} refreshes under load (one at a time, and in pairs) each answered a new version with the right count of changed prices.`);
  tally.promise(LOOKUP, (kept) => `${kept} lookups between refreshes answered the newest table's prices (and 404 for an unknown SKU).`);
  const send = (method: 'GET' | 'POST', path: string) => httpRequest(ctx.url, { method, path }, { agent: ctx.agent });
  let newest = Number((jsonBody<{ version: number }>((await send('GET', '/prices')).body))?.version ?? 0);
  let sent = 0;

  /** Refresh and check the answer (one of `allowed` versions); resolves with the version answered. */
  const refresh = async (allowed: number[]): Promise<number | undefined> => {
    const answer = await send('POST', '/prices/refresh');
    const body = jsonBody<RefreshAnswer>(answer.body);
    const ok = answer.status === 200 && body !== undefined && allowed.includes(body.version) && body.changed === expectedChanges(body.version);
    tally.check(REFRESH, ok, () =>
      body === undefined
        ? `POST /prices/refresh answered ${answer.status} ${answer.body.slice(0, 60)}.`
        : allowed.includes(body.version)
          ? `POST /prices/refresh answered version ${body.version} with ${body.changed} changed prices; the feed changed ${expectedChanges(body.version)} in that version.`
          : `POST /prices/refresh answered version ${body.version} right after version ${newest}; it should load version ${newest + 1}.`,
    );
    return body?.version;
  };

  const lookup = async (number: number) => {
    if (number % 11 === 4) {
      const [missingSku, why] = unknownSku(number);
      const missing = await send('GET', `/prices/${missingSku}`);
      tally.check(LOOKUP, missing.status === 404, () => `GET /prices/${missingSku} (${why}) answered ${missing.status}, not 404: the service as shipped answers 404 for it.`);
      return;
    }
    const index = (number * 37) % SKU_COUNT;
    const answer = await send('GET', `/prices/${skuAt(index)}`);
    const body = jsonBody<{ price: number; version: number }>(answer.body);
    const ok = answer.status === 200 && body?.version === newest && body.price === priceAt(newest, index);
    tally.check(LOOKUP, ok, () => `GET /prices/${skuAt(index)} answered ${answer.body.slice(0, 70)} after version ${newest} was loaded; that version prices it at ${priceAt(newest, index)}.`);
  };

  const round = (n: number) =>
    runCounted({ count: n, concurrency: 1, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const number = sent++;
      if (number % 10 === 9) {
        // Two refreshes at once: each must still load a version of its own and count its changes.
        const next = [newest + 1, newest + 2];
        const versions = await Promise.all([refresh(next), refresh(next)]);
        tally.check(REFRESH, versions[0] !== versions[1], () => `two refreshes sent at once both answered version ${versions[0]}.`);
        newest += 2;
      } else {
        await refresh([newest + 1]);
        newest += 1;
      }
      await lookup(number);
      return 200;
    });

  const verify = async () => {
    const summary = await functionalCheck('the summary names the newest version and every SKU', async () => {
      const version = await refresh([newest + 1]);
      newest += 1;
      const answer = jsonBody<{ version: number; skus: number }>((await send('GET', '/prices')).body);
      const passed = version !== undefined && answer?.version === version && answer.skus === SKU_COUNT;
      return {
        passed,
        detail: passed
          ? `after a refresh to version ${version}, GET /prices answered version ${version} with ${SKU_COUNT} SKUs.`
          : `after a refresh to version ${version}, GET /prices answered ${JSON.stringify(answer)}; expected version ${version} with ${SKU_COUNT} SKUs.`,
      };
    });
    return [...tally.results(), summary];
  };

  return simpleRun(round, verify);
}

const check: LabCheck = {
  env: {},
  // A refresh drops a ~40 KiB table; 60 of them a round make a 200 B leak 12 KiB a round, above
  // the few KiB the readings wobble by.
  roundSize: 60,
  series: 'heap objects',
  // No counter: tables counted through WeakRefs made this lab's post-GC readings swing by whole
  // tables (±57 KiB) from round to round; a kept ~40 KiB table per refresh is plain in memory.
  recognise: { event: 'request', method: 'POST', path: '^/prices/refresh' },
  start: startRun,
};

export default check;
