export * from '../../labs/07-post-mortem/catalog.ts';
