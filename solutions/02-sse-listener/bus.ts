export * from '../../labs/02-sse-listener/bus.ts';
