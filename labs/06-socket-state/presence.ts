/**
 * What the live-cursor service knows about one person looking at the shared document: their name,
 * a colour for their cursor, and a trail of their last 512 cursor positions (8 KB of doubles) from
 * which the page draws a smooth, fading cursor path.
 * Fixture: you do not need to change this file.
 */
import type { Server } from 'socket.io';
import { aliveCounter, registerGauge } from '../../kit/lab-api.ts';

/** How many cursor positions a trail keeps: 512 (x, y) pairs, 8 KB. */
export const TRAIL_POSITIONS = 512;

const COLOURS = ['#e11d48', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/** One person's presence. */
export interface Presence {
  name: string;
  colour: string;
  joinedAt: number;
  /** How many cursor moves were recorded. */
  moves: number;
  /** The last positions, x and y interleaved, a ring buffer. */
  trail: Float64Array;
}

/** A cursor move as the clients send and receive it. */
export interface CursorMove {
  name: string;
  colour: string;
  x: number;
  y: number;
}

let joined = 0;

const trackPresence = aliveCounter('presencesAlive', 'presences still alive');

/** The presence of someone who just said hello; names are cut to 40 characters. */
export function openPresence(name: unknown): Presence {
  const clean = String(name ?? '').trim().slice(0, 40) || 'anonymous';
  const presence: Presence = { name: clean, colour: COLOURS[joined++ % COLOURS.length]!, joinedAt: Date.now(), moves: 0, trail: new Float64Array(2 * TRAIL_POSITIONS) };
  trackPresence(presence);
  return presence;
}

/** Record a cursor position (numbers in 0..1 across the page) and answer the move to broadcast, or undefined if it is not a position. */
export function recordCursor(presence: Presence, position: unknown): CursorMove | undefined {
  const { x, y } = (position ?? {}) as { x?: unknown; y?: unknown };
  if (typeof x !== 'number' || typeof y !== 'number' || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return undefined;
  const slot = (presence.moves % TRAIL_POSITIONS) * 2;
  presence.trail[slot] = x;
  presence.trail[slot + 1] = y;
  presence.moves += 1;
  return { name: presence.name, colour: presence.colour, x, y };
}

/** Expose how many clients are connected as the `connectedClients` gauge. */
export function countConnectedClients(io: Server): void {
  registerGauge('connectedClients', 'connected clients', () => io.engine.clientsCount);
}
