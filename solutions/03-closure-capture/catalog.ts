export * from '../../labs/03-closure-capture/catalog.ts';
