export * from '../../labs/07-post-mortem/orders.ts';
