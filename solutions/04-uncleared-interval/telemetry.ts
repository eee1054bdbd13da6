export * from '../../labs/04-uncleared-interval/telemetry.ts';
