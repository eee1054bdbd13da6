/**
 * How long does Linux keep retransmitting to a peer that vanished before it gives up on the
 * connection (and Node sees an error on the socket)? The kernel retries tcp_retries2 times, doubling
 * the retransmission timeout from its 200 ms minimum up to its 120 s maximum. This reads
 * tcp_retries2 on the running machine and adds up that schedule, as the kernel's documentation of the
 * setting does (15, the default, "yields a hypothetical timeout of 924.6 seconds"). Waiting a quarter
 * of an hour for a real connection to die is not worth a test; the schedule is the kernel's.
 *
 *   node --import tsx scripts/experiments/tcp-retries.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { report } from './lib/harness.ts';

const SETTING = '/proc/sys/net/ipv4/tcp_retries2';
/** The kernel's bounds on the retransmission timeout (TCP_RTO_MIN, TCP_RTO_MAX), in seconds. */
const RTO_MIN_S = 0.2;
const RTO_MAX_S = 120;

/** Seconds until the kernel gives up after `retries` retransmissions with exponential backoff. */
function giveUpAfterSeconds(retries: number): number {
  let total = 0;
  for (let attempt = 0; attempt <= retries; attempt++) total += Math.min(RTO_MIN_S * 2 ** attempt, RTO_MAX_S);
  return Math.round(total * 10) / 10;
}

const retries = existsSync(SETTING) ? Number(readFileSync(SETTING, 'utf8').trim()) : null;
const seconds = retries === null ? null : giveUpAfterSeconds(retries);
report(
  { platform: process.platform, tcpRetries2: retries, giveUpAfterSeconds: seconds, minutes: seconds === null ? null : Math.round((seconds / 60) * 10) / 10 },
  retries === null ? 'no /proc/sys/net/ipv4/tcp_retries2 here (not Linux)' : `tcp_retries2 = ${retries}: about ${seconds} s before the kernel gives up`,
);
