/**
 * Lab 07's check plan: the corner shop under a day's traffic, the visits of traffic.ts (browse,
 * cart, checkout, then pay, look at the order or leave), eight customers at a time, so every
 * module of the service is exercised and none is singled out. Every answer is checked as it
 * arrives: products are the catalogue's, a checkout's total is the basket's, an order is paid by
 * its own webhook and by no other (a `once` listener pays whichever order subscribed first), and
 * an order nobody paid for stays unpaid. The verdict judges post-GC heap objects per request and
 * names no mechanism: finding the cause is the learner's job.
 */
import { functionalCheck, LoadTally, simpleRun, type LabCheck, type LabContext, type LabRun } from '../../kit/check-plan.ts';
import { httpRequest, jsonBody, runPool, type LoadResult } from '../../kit/load/index.ts';
import { emptyResult } from '../../kit/load/pool.ts';
import { PRODUCT_COUNT, productIdAt, productRecord } from './catalog.ts';
import { tunables } from './config.ts';
import { basketOf, REQUESTS_PER_VISIT, visit, type Answer } from './traffic.ts';

const { statsEveryMs } = tunables.checked;

const PRODUCTS = 'every product answered under load is the catalogue\u2019s';
const TOTALS = 'every checkout under load answers the basket\u2019s total, awaiting payment';
const OWN_PAYMENT = 'an order is paid by its own webhook, with one receipt; a declined one gets none';
const UNPAID = 'an order nobody paid for stays awaiting payment';

interface OrderAnswer {
  id: string;
  status: string;
  total: number;
  items: number;
  payUrl: string;
  receiptsSent: number;
}

const post = (ctx: LabContext, path: string, body: unknown) => httpRequest(ctx.url, { method: 'POST', path, body }, { agent: ctx.agent });
const get = (ctx: LabContext, path: string) => httpRequest(ctx.url, { path }, { agent: ctx.agent });

/** Visits numbered across every run in this process, so carts and baskets never repeat. */
let visits = 0;

async function startRun(ctx: LabContext): Promise<LabRun> {
  const tally = new LoadTally();
  tally.promise(PRODUCTS, (kept) => `${kept} product pages under load matched the catalogue.`);
  tally.promise(TOTALS, (kept) => `${kept} checkouts under load answered the basket's total, awaiting payment.`);
  tally.promise(OWN_PAYMENT, (kept) => `${kept} orders paid (or declined) under load, with other customers paying at the same time, were each marked so, with one receipt for a payment and none for a decline.`);
  tally.promise(UNPAID, (kept) => `${kept} orders looked at but not paid stayed awaiting payment while other orders were paid around them.`);

  /** Check one answer of a visit as it arrives. */
  const checkAnswer = (n: number, answer: Answer, method: 'GET' | 'POST', path: string) => {
    if (method === 'GET' && path.startsWith('/products/')) {
      const id = path.slice('/products/'.length);
      tally.check(PRODUCTS, answer.status === 200 && answer.body === JSON.stringify(productRecord(id)), () => `GET ${path} answered ${answer.status} ${answer.body.slice(0, 60)}.`);
    } else if (method === 'POST' && path.endsWith('/checkout')) {
      const { first, second, firstQuantity } = basketOf(n);
      const total = productRecord(first)!.price * firstQuantity + productRecord(second)!.price;
      const order = jsonBody<OrderAnswer>(answer.body);
      tally.check(TOTALS, answer.status === 201 && order?.total === total && order.status === 'awaiting payment', () => `checking out ${firstQuantity} × ${first} + 1 × ${second} answered ${answer.status} ${answer.body.slice(0, 80)}; the total is ${total} cents.`);
    } else if (method === 'GET' && path.startsWith('/orders/')) {
      const order = jsonBody<OrderAnswer>(answer.body);
      tally.check(UNPAID, order?.status === 'awaiting payment', () => `${path.slice('/orders/'.length)} was never paid for, yet GET ${path} answered status '${order?.status ?? answer.status}': another order's webhook paid it.`);
    }
  };

  const round = async (n: number): Promise<LoadResult> => {
    const started = Date.now();
    const result = emptyResult();
    const count = (answer: Answer) => {
      result.sent += 1;
      result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 200 && answer.status < 300) result.ok += 1;
    };
    await runPool({ count: Math.ceil(n / REQUESTS_PER_VISIT), concurrency: 8, signal: ctx.signal, onProgress: ctx.onProgress }, async () => {
      const number = visits++;
      try {
        const send = (method: 'GET' | 'POST', path: string, body?: unknown) => (method === 'GET' ? get(ctx, path) : post(ctx, path, body));
        const outcome = await visit(send, number, `c-${ctx.uniqueId()}`, (answer, method, path) => {
          count(answer);
          checkAnswer(number, answer, method, path);
        });
        if ((outcome.then === 'paid' || outcome.then === 'payment failed') && outcome.orderId) {
          const answer = await get(ctx, `/orders/${outcome.orderId}`);
          count(answer);
          const order = jsonBody<OrderAnswer>(answer.body);
          const receipts = outcome.then === 'paid' ? 1 : 0;
          tally.check(OWN_PAYMENT, order?.status === outcome.then && order.receiptsSent === receipts, () => `the provider called back '${outcome.then === 'paid' ? 'paid' : 'failed'}' for ${outcome.orderId}, yet GET /orders/${outcome.orderId} answered status '${order?.status ?? answer.status}' with ${order?.receiptsSent ?? '?'} receipt(s): the callback went to another order, or nowhere.`);
        }
      } catch (error) {
        result.sent += 1;
        result.failed += 1;
        result.firstError ??= (error as Error).message;
      }
    });
    result.durationMs = Date.now() - started;
    return result;
  };

  const verify = async () => {
    const products = await functionalCheck('products are served, and an unknown one is a 404', async () => {
      const id = productIdAt(7);
      const found = await get(ctx, `/products/${id}`);
      const missing = await get(ctx, `/products/p${PRODUCT_COUNT + 500}`);
      const passed = found.status === 200 && found.body === JSON.stringify(productRecord(id)) && missing.status === 404;
      return {
        passed,
        detail: passed
          ? `GET /products/${id} answered its record, and an unknown id answered 404.`
          : `GET /products/${id} answered ${found.status} ${found.body.slice(0, 60)}; an unknown id answered ${missing.status}.`,
      };
    });

    /** Put two products in a new cart and check it out. */
    const placeOrder = async (): Promise<OrderAnswer | undefined> => {
      const cart = `check-${ctx.uniqueId()}`;
      await post(ctx, `/carts/${cart}/items`, { productId: productIdAt(1), quantity: 2 });
      await post(ctx, `/carts/${cart}/items`, { productId: productIdAt(2), quantity: 1 });
      const answer = await post(ctx, `/carts/${cart}/checkout`, {});
      return answer.status === 201 ? jsonBody<OrderAnswer>(answer.body) : undefined;
    };

    const crossed = await functionalCheck("one order's webhook never pays another order", async () => {
      const a = await placeOrder();
      const b = await placeOrder();
      if (!a || !b) return { passed: false, detail: 'two orders could not be placed, so none could be paid.' };
      // B pays first: a listener that takes the first payment it hears (bus.once) would mark A paid.
      await post(ctx, '/webhooks/payments', { orderId: b.id, status: 'paid' });
      const [orderA, orderB] = await Promise.all([a, b].map(async (order) => jsonBody<OrderAnswer>((await get(ctx, `/orders/${order.id}`)).body)));
      const passed = orderB?.status === 'paid' && orderA?.status === 'awaiting payment';
      return {
        passed,
        detail: passed
          ? `with ${a.id} and ${b.id} both awaiting payment, the webhook for ${b.id} paid ${b.id} only.`
          : `with ${a.id} and ${b.id} both awaiting payment, the webhook for ${b.id} left ${b.id} '${orderB?.status}' and ${a.id} '${orderA?.status}'.`,
      };
    });

    const checkoutTwice = await functionalCheck('an emptied cart cannot be checked out twice', async () => {
      const cart = `check-${ctx.uniqueId()}`;
      await post(ctx, `/carts/${cart}/items`, { productId: productIdAt(4), quantity: 1 });
      const first = await post(ctx, `/carts/${cart}/checkout`, {});
      const again = await post(ctx, `/carts/${cart}/checkout`, {});
      return {
        passed: first.status === 201 && again.status === 409,
        detail: `checking out answered ${first.status}, checking out the same cart again answered ${again.status} (201, then 409 expected).`,
      };
    });

    const paidTwice = await functionalCheck('a paid order gets exactly one receipt, even if the provider calls twice', async () => {
      const placed = await placeOrder();
      if (!placed) return { passed: false, detail: 'no order could be placed, so none could be paid.' };
      const first = await post(ctx, '/webhooks/payments', { orderId: placed.id, status: 'paid' });
      await post(ctx, '/webhooks/payments', { orderId: placed.id, status: 'paid' });
      const order = jsonBody<OrderAnswer>((await get(ctx, `/orders/${placed.id}`)).body);
      const passed = first.status === 200 && order?.status === 'paid' && order.receiptsSent === 1;
      return {
        passed,
        detail: passed
          ? `the provider called back 'paid' twice for ${placed.id}: the order is paid and one receipt was sent.`
          : `after the provider called back 'paid' twice (first answered ${first.status}) for ${placed.id}, the order reads status '${order?.status}' with ${order?.receiptsSent} receipt(s); expected 'paid' with 1.`,
      };
    });

    const failed = await functionalCheck('a failed payment is recorded, with no receipt; an unknown order is a 404', async () => {
      const order = await placeOrder();
      if (!order) return { passed: false, detail: 'no order could be placed.' };
      const callback = await post(ctx, '/webhooks/payments', { orderId: order.id, status: 'failed' });
      const after = jsonBody<OrderAnswer>((await get(ctx, `/orders/${order.id}`)).body);
      const unknown = await post(ctx, '/webhooks/payments', { orderId: 'o-no-such-order', status: 'paid' });
      const passed = callback.status === 200 && after?.status === 'payment failed' && after.receiptsSent === 0 && unknown.status === 404;
      return {
        passed,
        detail: passed
          ? `a 'failed' callback for ${order.id} left it 'payment failed' with no receipt; a callback for an unknown order answered 404.`
          : `a 'failed' callback for ${order.id} answered ${callback.status} and left status '${after?.status}' with ${after?.receiptsSent} receipt(s); an unknown order's callback answered ${unknown.status}.`,
      };
    });

    const stats = await functionalCheck(`the stats are republished every ${statsEveryMs} ms`, async () => {
      // Keep some traffic going for a few periods, so the last published period counted some.
      const until = Date.now() + statsEveryMs * 2.5;
      while (Date.now() < until) {
        await get(ctx, '/health');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answer = jsonBody<{ requests: number; at: number }>((await get(ctx, '/stats')).body);
      const age = Date.now() - (answer?.at ?? 0);
      const passed = (answer?.requests ?? 0) > 0 && age < statsEveryMs * 3;
      return {
        passed,
        detail: passed
          ? `GET /stats showed ${answer!.requests} requests in the last period, published ${age} ms earlier.`
          : `GET /stats showed ${answer?.requests} requests, published ${age} ms earlier; it should be refreshed every ${statsEveryMs} ms.`,
      };
    });
    return [...tally.results(), products, crossed, checkoutTwice, paidTwice, failed, stats];
  };

  return simpleRun(round, verify);
}

const check: LabCheck = {
  // Small bounded structures, so that they are full before measuring starts and only a leak grows.
  env: tunables.checkedEnv(),
  about: tunables.about(),
  // An unpaid order's listener keeps its ~8 KiB invoice; 200 requests a round also make a 200 B
  // leak 40 KiB a round, far above the few KiB the readings wobble by.
  roundSize: 200,
  series: 'heap objects',
  recognise: { event: 'request' },
  start: startRun,
};

export default check;
