/**
 * The course describes the checker with its own numbers (the thresholds of the memory rule, the
 * exit codes): the page must say what the code does, so a change to one fails until the other
 * follows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RELEASE_WAIT_MS } from '../../kit/check.ts';
import { EXIT_CODE } from '../../kit/types.ts';
import { FLAT_AT_MOST, LEAK_AT_LEAST } from '../../kit/verdict/index.ts';

const PAGE = path.resolve(import.meta.dirname, '../../site/content/docs/start/how-a-lab-works.mdx');
const page = readFileSync(PAGE, 'utf8');

test('the page states the memory rule’s two thresholds as the checker uses them', () => {
  assert.match(page, new RegExp(`more than any correct fix\\s+keeps \\(${FLAT_AT_MOST} bytes per operation\\)`));
  assert.match(page, new RegExp(`smallest leak the checker is\\s+built to catch \\(${LEAK_AT_LEAST} bytes per operation\\)`));
});

test('the verdict table gives each status its exit code', () => {
  for (const [status, code] of Object.entries(EXIT_CODE)) {
    assert.match(page, new RegExp(`\\| \`${status}\` \\|[^\\n]*\\| ${code} \\|`), `${status} → ${code}`);
  }
});

test('the page says how long a leak must stay after the load before it is called one', () => {
  assert.match(page, new RegExp(`waits up to ${RELEASE_WAIT_MS / 1000} seconds`));
});

test('lab 04’s page says how fast the checker ticks and how long it watches the early dashboards', async () => {
  const { EARLY_WATCHED_FOR_MS } = await import('../../labs/04-uncleared-interval/check.ts');
  const { tunables } = await import('../../labs/04-uncleared-interval/config.ts');
  const lab04 = readFileSync(path.resolve(import.meta.dirname, '../../site/content/docs/labs/04-uncleared-interval.mdx'), 'utf8');
  assert.match(lab04, new RegExp(`after\\s+at least ${EARLY_WATCHED_FOR_MS / 1000} seconds`));
  assert.match(lab04, new RegExp(`\`LEAKLAB_TICK_MS=${tunables.checked.tickMs}\``));
});

test('lab 06’s page gives the checker’s round size, ping settings and share of silent clients', async () => {
  const { default: check } = await import('../../labs/06-socket-state/check.ts');
  const { tunables } = await import('../../labs/06-socket-state/config.ts');
  const lab06 = readFileSync(path.resolve(import.meta.dirname, '../../site/content/docs/labs/06-socket-state.mdx'), 'utf8');
  assert.match(lab06, new RegExp(`rounds of ${check.roundSize} socket\\.io clients`));
  assert.match(lab06, new RegExp(`sets to ${tunables.checked.pingIntervalMs} ms \\+ ${tunables.checked.pingTimeoutMs} ms`));
  const { SILENT_PER_CONNECTION } = await import('../../labs/06-socket-state/check.ts');
  assert.equal(SILENT_PER_CONNECTION, 0.1, 'the page says one client for every ten connections');
  assert.match(lab06, /one client for every ten connections stops\s+answering pings/);
});
