// Entry of the snapshot worker thread: tsx's TypeScript loader is registered per thread, so the
// worker registers it itself before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-worker.ts');
