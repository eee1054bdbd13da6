export * from '../../labs/07-post-mortem/config.ts';
