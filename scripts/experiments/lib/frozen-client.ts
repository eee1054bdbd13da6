/**
 * A socket.io client meant to be frozen: it connects to the URL given as its argument, prints
 * "connected <id>" and then just stays. The socketio-ping experiment stops this process with
 * SIGSTOP, so its TCP connection stays open but it never answers another ping: a peer that
 * vanished silently (a laptop lid closed, a phone in a tunnel).
 */
import { io } from 'socket.io-client';

const url = process.argv[2];
if (!url) throw new Error('usage: frozen-client.ts <server url>');
const socket = io(url, { transports: ['websocket'], reconnection: false });
socket.on('connect', () => process.stdout.write(`connected ${socket.id}\n`));
