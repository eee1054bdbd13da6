export * from '../../labs/01-unbounded-cache/db.ts';
