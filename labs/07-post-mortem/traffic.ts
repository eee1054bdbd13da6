/**
 * A day of the shop's traffic, replayed: customers browse a product, put two in a cart, check out,
 * and then pay (now and then the bank declines), come back to look at their order, or leave, as
 * real customers do. The checker
 * drives the same visits; run this file to drive them at your own server until you stop it:
 *
 *   node --import tsx labs/07-post-mortem/traffic.ts http://127.0.0.1:3000
 *
 * Fixture: you do not need to change this file.
 */
import { realpathSync } from 'node:fs';
import { productIdAt } from './catalog.ts';

/** An answer as a visit needs it. */
export interface Answer {
  status: number;
  body: string;
}

/** Send one request (JSON body for POST) and read the whole answer. */
export type Send = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<Answer>;

/** What a visit did: the order it placed (if the checkout worked) and what the customer did next. */
export interface VisitOutcome {
  orderId?: string;
  then: 'paid' | 'payment failed' | 'looked at the order' | 'left';
}

/** The two products customer number `n` buys, and how many of the first. */
export function basketOf(n: number): { first: string; second: string; firstQuantity: number } {
  return { first: productIdAt(n * 7), second: productIdAt(n * 7 + 3), firstQuantity: 1 + (n % 3) };
}

/** Requests in one visit: a product, two cart lines, the checkout, and one more. */
export const REQUESTS_PER_VISIT = 5;

/** Customer number `n` visits the shop with cart `cartId`; `record` sees every answer and the request it answered. */
export async function visit(
  send: Send,
  n: number,
  cartId: string,
  record: (answer: Answer, method: 'GET' | 'POST', path: string) => void = () => {},
): Promise<VisitOutcome> {
  const { first, second, firstQuantity } = basketOf(n);
  const step = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const answer = await send(method, path, body);
    record(answer, method, path);
    return answer;
  };
  await step('GET', `/products/${first}`);
  await step('POST', `/carts/${cartId}/items`, { productId: first, quantity: firstQuantity });
  await step('POST', `/carts/${cartId}/items`, { productId: second, quantity: 1 });
  const checkout = await step('POST', `/carts/${cartId}/checkout`, {});
  const orderId = checkout.status === 201 ? (JSON.parse(checkout.body) as { id: string }).id : undefined;
  if (n % 3 === 0 && orderId) {
    // One payment in three is declined by the bank.
    const status = n % 9 === 6 ? 'failed' : 'paid';
    await step('POST', '/webhooks/payments', { orderId, status });
    return { orderId, then: status === 'paid' ? 'paid' : 'payment failed' };
  }
  if (n % 3 === 1 && orderId) {
    await step('GET', `/orders/${orderId}`);
    return { orderId, then: 'looked at the order' };
  }
  await step('GET', '/stats');
  return { orderId, then: 'left' };
}

/** Replay visits against `baseUrl`, `concurrency` customers at a time, until the server stops answering. */
async function replay(baseUrl: string, concurrency = 8): Promise<void> {
  const send: Send = async (method, path, body) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };
  let next = 0;
  let requests = 0;
  const started = Date.now();
  const report = setInterval(() => {
    console.log(`${requests.toLocaleString('en-US')} requests in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 5000);
  const customer = async () => {
    for (;;) {
      const n = next++;
      await visit(send, n, `cart-${n}`, () => (requests += 1));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, customer));
  } catch (error) {
    console.log(`after ${requests.toLocaleString('en-US')} requests the server stopped answering: ${(error as Error).message}`);
  } finally {
    clearInterval(report);
  }
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  await replay(process.argv[2] ?? 'http://127.0.0.1:3000');
}
