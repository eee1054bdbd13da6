export * from '../../labs/06-socket-state/presence.ts';
