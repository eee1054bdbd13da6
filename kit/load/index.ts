/** Real workloads over loopback: HTTP requests, SSE clients, socket.io clients. */
export { runCounted, runPool, type LoadResult, type Progress } from './pool.ts';
export { httpRequest, jsonBody, keepAliveAgent, runHttpLoad, type HttpAnswer, type HttpRequestSpec } from './http.ts';
export { leaveBeforeFirstByte, openSseClient, runSseCycles, type SseClient } from './sse.ts';
export { openSocketClient, runSocketCycles, type SocketClient } from './socketio.ts';
