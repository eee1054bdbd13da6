export * from '../../labs/07-post-mortem/traffic.ts';
