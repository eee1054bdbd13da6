/**
 * The sensor feed behind the live dashboard, simulated. Each dashboard connection gets a session
 * that keeps its recent readings (a 10 KB ring buffer) to draw a sparkline and a rolling average.
 * Fixture: you do not need to change this file.
 */
import type { Server } from 'socket.io';
import { aliveCounter, registerGauge } from '../../kit/lab-api.ts';

/** How many recent readings a session keeps: 1,280 doubles, 10 KB. */
export const READINGS_KEPT = 1280;

/** What one dashboard connection remembers. */
export interface Session {
  clientId: string;
  startedAt: number;
  /** Sequence number of the last tick sent. */
  seq: number;
  /** Recent sensor readings, a ring buffer. */
  readings: Float64Array;
}

/** One message to the dashboard. */
export interface Tick {
  seq: number;
  t: number;
  /** The newest reading, e.g. a temperature in °C. */
  value: number;
  /** Mean of the readings kept so far. */
  average: number;
}

const trackSession = aliveCounter('sessionsAlive', 'dashboard sessions still alive');

/** Start a session for a newly connected dashboard. */
export function openSession(clientId: string): Session {
  const session: Session = { clientId, startedAt: Date.now(), seq: 0, readings: new Float64Array(READINGS_KEPT) };
  trackSession(session);
  return session;
}

/** Take the next reading into the session and answer the tick to send. */
export function nextTick(session: Session): Tick {
  const t = Date.now();
  const value = Math.round((21 + 3 * Math.sin(t / 5000) + Math.random() * 0.4) * 100) / 100;
  session.readings[session.seq % READINGS_KEPT] = value;
  session.seq += 1;
  const kept = Math.min(session.seq, READINGS_KEPT);
  let sum = 0;
  for (let i = 0; i < kept; i += 1) sum += session.readings[i]!;
  return { seq: session.seq, t, value, average: Math.round((sum / kept) * 100) / 100 };
}

/** Expose how many dashboards are connected as the `connectedClients` gauge. */
export function countConnectedClients(io: Server): void {
  registerGauge('connectedClients', 'connected clients', () => io.engine.clientsCount);
}
