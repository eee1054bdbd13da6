/**
 * The corner shop's API: browse products, fill a cart, check out, and let the payment provider
 * call back when the customer has paid.
 *
 *   GET  /products/:id             a product (cached)
 *   POST /carts/:cart/items        add { productId, quantity } to a cart (created on first use)
 *   POST /carts/:cart/checkout     turn the cart into an order; answers the order with its payment link
 *   GET  /orders/:id               an order's status
 *   POST /webhooks/payments        the payment provider: { orderId, status: 'paid' | 'failed' }
 *   GET  /stats                    figures of the last few seconds, refreshed by a timer
 *   GET  /health                   is the service up
 *
 * Lab 07: this service dies of "JavaScript heap out of memory" every few days. Nobody knows why.
 */
// TODO: find what keeps growing. Run it until it dies with a heap snapshot taken near the limit,
// compare snapshots, follow the retainers of what grew, then fix that, and only that.
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { LRUCache } from 'lru-cache';
import { bus, type Payment } from './bus.ts';
import { loadProduct, type Product } from './catalog.ts';
import { config } from './config.ts';
import { findOrder, Order, saveOrder, sendReceipt, startPayment, type CartLine } from './orders.ts';

export const app = express();
app.use(express.json({ limit: '16kb' }));

// ---------------------------------------------------------------------------------------------
// Stats: counted per request (this middleware comes first, so it sees every request), published
// by a timer every few seconds.

const counting = { requests: 0, errors: 0 };
let published = { requests: 0, errors: 0, periodMs: config.statsEveryMs, at: Date.now() };

app.use((_req, res, next) => {
  res.on('finish', () => {
    counting.requests += 1;
    if (res.statusCode >= 500) counting.errors += 1;
  });
  next();
});

const statsTimer = setInterval(() => {
  published = { ...counting, periodMs: config.statsEveryMs, at: Date.now() };
  counting.requests = 0;
  counting.errors = 0;
}, config.statsEveryMs);
statsTimer.unref();

app.get('/stats', (_req, res) => {
  res.json(published);
});

// ---------------------------------------------------------------------------------------------
// Products, behind a bounded cache.

const productCache = new LRUCache<string, Product>({ max: config.productCacheMax, ttl: config.productCacheTtlMs });

async function product(id: string): Promise<Product | undefined> {
  const cached = productCache.get(id);
  if (cached) return cached;
  const loaded = await loadProduct(id);
  if (loaded) productCache.set(id, loaded);
  return loaded;
}

app.get('/products/:id', async (req, res) => {
  const found = await product(req.params.id);
  if (!found) {
    res.status(404).json({ error: `no product ${req.params.id}` });
    return;
  }
  res.json(found);
});

// ---------------------------------------------------------------------------------------------
// Carts: kept while the customer shops, thrown away when checked out or left idle.

interface Cart {
  lines: CartLine[];
  idleTimer: NodeJS.Timeout;
}

const carts = new Map<string, Cart>();

function touch(cartId: string): Cart {
  const idleTimer = setTimeout(() => carts.delete(cartId), config.cartIdleMs);
  const cart = carts.get(cartId);
  if (cart) {
    clearTimeout(cart.idleTimer);
    cart.idleTimer = idleTimer;
    return cart;
  }
  const created: Cart = { lines: [], idleTimer };
  carts.set(cartId, created);
  return created;
}

function dropCart(cartId: string): void {
  const cart = carts.get(cartId);
  if (!cart) return;
  clearTimeout(cart.idleTimer);
  carts.delete(cartId);
}

app.post('/carts/:cart/items', async (req, res) => {
  const { productId, quantity } = (req.body ?? {}) as { productId?: unknown; quantity?: unknown };
  const found = typeof productId === 'string' ? await product(productId) : undefined;
  if (!found || !Number.isInteger(quantity) || (quantity as number) < 1) {
    res.status(400).json({ error: 'send { productId, quantity } with a known product and a whole quantity ≥ 1' });
    return;
  }
  const cart = touch(req.params.cart);
  const line = cart.lines.find((l) => l.product.id === found.id);
  if (line) line.quantity += quantity as number;
  else cart.lines.push({ product: found, quantity: quantity as number });
  res.status(201).json({ cart: req.params.cart, lines: cart.lines.length });
});

// ---------------------------------------------------------------------------------------------
// Checkout and payment: the provider calls the webhook when the customer has paid (or failed to).

app.post('/carts/:cart/checkout', (req, res) => {
  const cart = carts.get(req.params.cart);
  if (!cart || cart.lines.length === 0) {
    res.status(409).json({ error: `cart ${req.params.cart} is empty` });
    return;
  }
  const order = new Order(cart.lines);
  order.payUrl = startPayment(order);
  saveOrder(order);
  dropCart(req.params.cart);

  // Wait for the payment provider's answer about this order.
  const onPayment = (payment: Payment) => {
    if (payment.orderId !== order.id) return;
    bus.off('payment', onPayment);
    order.status = payment.status === 'paid' ? 'paid' : 'payment failed';
    if (order.status === 'paid') bus.emit('order:paid', order);
  };
  bus.on('payment', onPayment);
  res.status(201).json(order);
});

app.post('/webhooks/payments', (req, res) => {
  const { orderId, status } = (req.body ?? {}) as { orderId?: unknown; status?: unknown };
  if (typeof orderId !== 'string' || (status !== 'paid' && status !== 'failed')) {
    res.status(400).json({ error: "send { orderId, status: 'paid' | 'failed' }" });
    return;
  }
  if (!findOrder(orderId)) {
    res.status(404).json({ orderId, accepted: false });
    return;
  }
  const payment: Payment = { orderId, status };
  bus.emit('payment', payment);
  res.json({ orderId, accepted: true });
});

app.get('/orders/:id', (req, res) => {
  const order = findOrder(req.params.id);
  if (!order) {
    res.status(404).json({ error: `no order ${req.params.id}` });
    return;
  }
  res.json(order);
});

// Receipts go out when an order is paid, whoever announced it.
bus.on('order:paid', (order: Order) => sendReceipt(order));

app.get('/health', (_req, res) => {
  res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
});

// Listen only when this file is the program being run, so a test can import `app` on its own.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  const host = process.env.HOST ?? '127.0.0.1';
  const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Lab 07 · Post-mortem listening on http://${host}:${port}`);
  });
}
