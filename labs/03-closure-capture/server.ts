/**
 * Pricing service: GET /prices/:sku answers the current price of a product, and the nightly job
 * calls POST /prices/refresh to load the supplier's new price table.
 *
 * Lab 03: every refresh makes the process bigger, although only one table is ever in use.
 */
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadPriceTable } from './catalog.ts';

/** The prices in force: which catalogue version, and how to look a product up in it. */
interface PriceBook {
  version: number;
  skus: number;
  lookup(sku: string): number | undefined;
}

const firstTable = loadPriceTable(1);
let current: PriceBook = { version: 1, skus: firstTable.size, lookup: (sku) => firstTable.get(sku) };

export const app = express();

app.get('/prices', (_req, res) => {
  res.json({ version: current.version, skus: current.skus });
});

app.get('/prices/:sku', (req, res) => {
  const { sku } = req.params;
  const price = current.lookup(sku);
  if (price === undefined) {
    res.status(404).json({ error: `unknown sku ${sku}` });
    return;
  }
  res.json({ sku, price, version: current.version });
});

app.post('/prices/refresh', (_req, res) => {
  const version = current.version + 1;
  const table = loadPriceTable(version);
  const previous = current;

  // TODO: `previous` is only needed to count the changes, yet every old price table stays in
  // memory after each refresh. Which function created in this handler outlives it, and what can
  // it still reach?
  const changed = [...table.keys()].filter((sku) => previous.lookup(sku) !== table.get(sku)).length;

  current = { version, skus: table.size, lookup: (sku) => table.get(sku) };
  res.json({ version, changed });
});

// Listen only when this file is the program being run, so a test can import `app` on its own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Lab 03 · Closure capture listening on http://${host}:${port}`);
  });
}
