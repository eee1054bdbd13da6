/**
 * Orders, payments and receipts, simulated: an order with its printable invoice, the payment
 * provider that hands out a payment link, the order database, and the mailer that sends receipts.
 * The database keeps only the most recent `config.ordersKept` orders in memory; a real one would
 * keep them on disk.
 * Fixture: you do not need to change this file.
 */
import { randomBytes } from 'node:crypto';
import type { Product } from './catalog.ts';
import { config } from './config.ts';

export interface CartLine {
  product: Product;
  quantity: number;
}

export type OrderStatus = 'awaiting payment' | 'paid' | 'payment failed';

let ordersPlaced = 0;

export class Order {
  readonly id: string;
  readonly lines: CartLine[];
  /** Total in cents. */
  readonly total: number;
  readonly placedAt = Date.now();
  status: OrderStatus = 'awaiting payment';
  /** The invoice as the customer prints it. */
  readonly invoice: string;
  /** Where the customer pays (a link to the payment provider). */
  payUrl = '';
  /** How many times the receipt was emailed (once, after payment). */
  receiptsSent = 0;

  constructor(lines: CartLine[]) {
    ordersPlaced += 1;
    this.id = `o${ordersPlaced.toString(36).padStart(6, '0')}`;
    this.lines = lines.map((line) => ({ ...line }));
    this.total = lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
    this.invoice = renderInvoice(this);
  }

  /** What the API answers about an order. */
  toJSON(): { id: string; status: OrderStatus; total: number; items: number; payUrl: string; receiptsSent: number } {
    const items = this.lines.reduce((n, line) => n + line.quantity, 0);
    return { id: this.id, status: this.status, total: this.total, items, payUrl: this.payUrl, receiptsSent: this.receiptsSent };
  }
}

/** The terms and conditions printed under every invoice: 40 clauses, about 8 KB. */
const TERMS = Array.from(
  { length: 40 },
  (_, i) =>
    `${i + 1}. Goods remain the property of the shop until paid in full. Items may be returned unused within 30 days ` +
    `of delivery for a full refund; clause ${i + 1} applies to orders placed online and in the shop alike.`,
);

/** The invoice as printed: a header, one row per line, the total, the terms. */
function renderInvoice(order: Order): string {
  const rows = order.lines.map((line) => `${line.product.name.padEnd(40)} ${String(line.quantity).padStart(4)} × ${(line.product.price / 100).toFixed(2).padStart(9)}`);
  return [`INVOICE ${order.id}`, `Date: ${new Date(order.placedAt).toISOString()}`, ...rows, `TOTAL ${(order.total / 100).toFixed(2)}`, ...TERMS].join('\n');
}

/** Ask the payment provider for a payment link; it calls POST /webhooks/payments later (or never, if the customer gives up). */
export function startPayment(order: Order): string {
  return `https://pay.example/checkout/${order.id}?session=${randomBytes(24).toString('hex')}`;
}

const recent: Order[] = [];
const byId = new Map<string, Order>();

/** Store an order (the oldest in memory is forgotten beyond `config.ordersKept`). */
export function saveOrder(order: Order): void {
  recent.push(order);
  byId.set(order.id, order);
  while (recent.length > config.ordersKept) byId.delete(recent.shift()!.id);
}

/** Find an order by id among the stored ones. */
export function findOrder(id: string): Order | undefined {
  return byId.get(id);
}

/** Email the receipt of a paid order (here: count it on the order). */
export function sendReceipt(order: Order): void {
  order.receiptsSent += 1;
}
