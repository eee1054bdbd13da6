export * from '../../labs/06-socket-state/config.ts';
