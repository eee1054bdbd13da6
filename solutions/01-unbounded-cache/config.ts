export * from '../../labs/01-unbounded-cache/config.ts';
