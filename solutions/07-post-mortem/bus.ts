export * from '../../labs/07-post-mortem/bus.ts';
