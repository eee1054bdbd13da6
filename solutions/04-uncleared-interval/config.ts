export * from '../../labs/04-uncleared-interval/config.ts';
