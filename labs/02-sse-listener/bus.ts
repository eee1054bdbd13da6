/**
 * The order-status bus: the rest of the shop publishes every order update here, once, and anyone
 * interested subscribes to the 'update' event. It lives as long as the process does.
 * Fixture: you do not need to change this file.
 */
import { EventEmitter } from 'node:events';
import { registerGauge } from '../../kit/lab-api.ts';

/** One change to an order, as the warehouse and payment systems publish it. */
export type OrderUpdate = Record<string, unknown>;

export const bus = new EventEmitter();

// Node's default limit (10 listeners per event name) is kept on purpose: past it Node prints a
// one-time MaxListenersExceededWarning, which is often the first visible sign of this leak.
registerGauge('busListeners', "'update' listeners on the bus", () => bus.listenerCount('update'));

/** Send an update to every subscriber; answers how many listeners received it. */
export function publishUpdate(update: OrderUpdate): number {
  const listeners = bus.listenerCount('update');
  bus.emit('update', update);
  return listeners;
}
