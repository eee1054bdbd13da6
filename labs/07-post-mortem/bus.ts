/**
 * The shop's event bus: one EventEmitter for the whole process, on which parts of the service
 * announce what happened (an order was paid, a payment provider called back) to the parts that care.
 * Fixture: you do not need to change this file.
 */
import { EventEmitter } from 'node:events';

/** What the payment provider told us about an order. */
export interface Payment {
  orderId: string;
  status: 'paid' | 'failed';
}

export const bus = new EventEmitter();
// Many parts of the shop listen on this bus, and Node's "possible EventEmitter memory leak"
// warning kept appearing in the logs, so it was switched off a long time ago.
bus.setMaxListeners(0);
