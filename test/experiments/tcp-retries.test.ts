import { existsSync, readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { assertNear, measuredNumber, runExperiment } from './run-experiment.ts';

interface Result {
  tcpRetries2: number | null;
  giveUpAfterSeconds: number | null;
  minutes: number | null;
}

/** The figure is for Linux's default setting; another value (or another system) gives another schedule. */
const SETTING = '/proc/sys/net/ipv4/tcp_retries2';
const retries = existsSync(SETTING) ? readFileSync(SETTING, 'utf8').trim() : null;
const notDefault = retries === null ? `${SETTING} does not exist on ${process.platform}` : retries !== '15' && `this machine sets tcp_retries2 = ${retries}, not Linux's default 15`;

let result: Result;

before(async () => {
  result = await runExperiment<Result>('tcp-retries');
});

test("with Linux's default tcp_retries2, a silent peer is given up on after about 15 minutes (tcp-give-up-minutes)", { skip: notDefault }, () => {
  assertNear(result.minutes!, measuredNumber('tcp-give-up-minutes'), 0.1, 'minutes');
  // The kernel's own documentation of the setting gives the same sum for 15.
  assertNear(result.giveUpAfterSeconds!, 924.6, 0.1, 'seconds');
});
