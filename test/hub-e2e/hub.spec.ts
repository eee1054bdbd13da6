/**
 * The hub in a real browser, against the server `npm start` runs (hub/main.ts): open lab 01's page,
 * start the leaky server, drive load and see post-GC memory rise, compare two heap snapshots, run
 * the check (leak), check the solution (pass), kill the lab and see the crash message, restart.
 * Screenshots of each step go to output/screenshots/hub-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startHubProcess, type HubProcess } from './hub-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'output', 'screenshots');
const LAB = '01-unbounded-cache';

let hub: HubProcess | undefined;
let hubUrl = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000); // npm start builds the site first when dist/ is stale
  hub = await startHubProcess();
  hubUrl = hub.url;
});

test.afterAll(async () => {
  await hub?.stop();
});

const panelOf = (page: Page) => page.locator(`.lab-panel[data-lab="${LAB}"]`);

async function forceGc(page: Page): Promise<number> {
  const panel = panelOf(page);
  const before = await panel.getAttribute('data-post-gc-learner');
  await panel.getByRole('button', { name: 'Force GC' }).click();
  await expect(panel).not.toHaveAttribute('data-post-gc-learner', before ?? '', { timeout: 15_000 });
  return Number(await panel.getAttribute('data-post-gc-learner'));
}

async function driveLoad(page: Page, label: string): Promise<void> {
  const panel = panelOf(page);
  await panel.getByRole('button', { name: label }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText(/requests done/, { timeout: 30_000 });
}

test('a lab page runs the leaky lab, shows its memory rise, compares snapshots, checks, and survives a crash', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`${hubUrl}/labs/${LAB}/`);
  const panel = panelOf(page);
  await expect(panel).toHaveAttribute('data-hub', 'connected');
  await expect(panel.locator('[data-part="offline"]')).toBeHidden();

  // Start: the graph fills with samples taken twice a second.
  await panel.getByRole('button', { name: 'Start your server' }).click();
  await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 20_000 });
  await expect.poll(async () => Number(await panel.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(4);
  await expect(panel.locator('.u-legend')).toContainText('heapUsed (yours)');
  await page.screenshot({ path: path.join(SHOTS, 'hub-1-started.png'), fullPage: false });

  // Load: 2,000 new ids, each kept forever by the leaky cache → post-GC heap rises by megabytes.
  const before = await forceGc(page);
  await driveLoad(page, '2,000 requests');
  const after = await forceGc(page);
  expect(after - before, `post-GC heapUsed ${before} → ${after} MiB`).toBeGreaterThan(1.5);
  // The legend shows the same post-GC reading (to two decimals; the attribute has three).
  const legend = panel.locator('.u-legend .u-series:not(.u-off)', { hasText: 'post-GC heapUsed (yours)' });
  await expect.poll(async () => Math.abs(Number(/([\d.]+) MiB/.exec(await legend.innerText())?.[1]) - after)).toBeLessThanOrEqual(0.006);
  await panel.locator('[data-part="chart"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-2-after-load.png') });

  // Snapshots: baseline, more load, later → the comparison names the growing records and the path
  // goes through the learner's `cache` variable, linked to its line in server.ts.
  await panel.getByRole('button', { name: 'Take baseline snapshot' }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText('Snapshot written', { timeout: 60_000 });
  await driveLoad(page, '1,000 requests');
  await panel.getByRole('button', { name: 'Take later snapshot and compare' }).click();
  const analysis = panel.locator('[data-part="analysis"]');
  await expect(analysis.locator('[data-part="diff-table"]')).toBeVisible({ timeout: 90_000 });
  await expect(analysis.locator('[data-part="top-constructor"]')).toHaveText('Object');
  // 1,000 requests for new ids → at least 1,000 new records (each record holds a few objects).
  const newObjects = Number((await analysis.locator('tr[data-top="true"] td').nth(1).innerText()).replace(/,/g, ''));
  expect(newObjects).toBeGreaterThanOrEqual(1000);
  await expect(analysis).toContainText('variable `cache`');
  await expect(analysis.getByRole('link', { name: /01-unbounded-cache\/server\.ts:\d+/ })).toBeVisible();
  await expect(panel.locator('[data-part="downloads"] a').first()).toHaveAttribute('href', /\/api\/snapshots\/01-unbounded-cache-learner-.*\.heapsnapshot$/);
  await analysis.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-3-snapshot-diff.png') });

  // Check my fix on the shipped (leaky) file: the verdict says leak, with its evidence.
  await panel.getByRole('button', { name: 'Check my fix' }).click();
  // While it runs, the progress line says where the check is.
  await expect(panel.locator('[data-part="progress-text"]')).toHaveText(/^Checking: round \d+ of \d+/, { timeout: 30_000 });
  const verdict = panel.locator('[data-part="verdict"]');
  await expect(verdict).toHaveAttribute('data-status', 'leak', { timeout: 90_000 });
  await expect(panel.locator('[data-part="progress"]')).toBeHidden();
  await expect(verdict).toContainText('LEAK');
  await expect(verdict).toContainText('per request');
  // The check's rounds were streamed onto the graph as their own series.
  await expect(panel.locator('.u-legend .u-series:not(.u-off)', { hasText: 'check rounds: post-GC' })).toContainText('MiB');
  await verdict.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-4-check-leak.png') });

  // The solution: start it beside the learner's server (two series), check it → pass.
  await panel.getByRole('button', { name: 'Start the solution' }).click();
  await expect(panel).toHaveAttribute('data-solution', 'running', { timeout: 20_000 });
  await driveLoad(page, '1,000 requests');
  // Both servers took the same load: the solution's series (dashed) are on the same graph.
  await expect(panel.locator('[data-part="status"]')).toContainText('The solution: 1,000 requests done');
  await expect(panel.locator('.u-legend .u-series:not(.u-off)', { hasText: 'heapUsed (solution)' })).toContainText('MiB');
  await panel.getByRole('button', { name: 'Check the solution' }).click();
  await expect(verdict).toHaveAttribute('data-status', 'pass', { timeout: 90_000 });
  await expect(verdict).toContainText('PASS');
  await panel.screenshot({ path: path.join(SHOTS, 'hub-5-solution-pass.png') });

  // Kill the learner's lab from outside: the page says so and why, keeps the graph, can restart.
  const points = Number(await panel.getAttribute('data-points'));
  const pid = Number(await panel.getAttribute('data-learner-pid'));
  expect(pid).toBeGreaterThan(0);
  process.kill(pid, 'SIGKILL');
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('Your server', { timeout: 15_000 });
  await expect(alert).toContainText(/killed|crashed/);
  await expect(alert).toContainText('SIGKILL');
  expect(Number(await panel.getAttribute('data-points'))).toBeGreaterThanOrEqual(points);
  await alert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-6-crash.png') });
  await alert.getByRole('button', { name: 'Restart your server' }).click();
  await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 20_000 });
  await expect(alert).toBeHidden();
});

test('the dashboard drives the SSE and socket.io labs and shows their gauges', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${hubUrl}/labs/dashboard/`);
  // One panel per lab of the manifest.
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'labs/course.json'), 'utf8')) as { labs: { id: string }[] };
  await expect(page.locator('.lab-panel[data-hub="connected"]')).toHaveCount(manifest.labs.length);

  // Lab 02: 100 SSE clients connect and leave; the leaky server keeps one bus listener for each.
  const sse = page.locator('.lab-panel[data-lab="02-sse-listener"]');
  await sse.getByRole('button', { name: 'Start your server' }).click();
  await expect(sse).toHaveAttribute('data-learner', 'running', { timeout: 20_000 });
  await sse.getByRole('button', { name: '100 SSE connections' }).click();
  await expect(sse.locator('[data-part="status"]')).toContainText('100 SSE connections done', { timeout: 30_000 });
  const listeners = sse.locator('[data-part="gauges"] tr[data-gauge="busListeners"] td').first();
  await expect.poll(async () => Number((await listeners.innerText()).replace(/,/g, '')), { timeout: 5_000 }).toBeGreaterThanOrEqual(100);

  // Lab 04: 100 socket.io clients connect and leave; the leaky server keeps ticking for each.
  const ticks = page.locator('.lab-panel[data-lab="04-uncleared-interval"]');
  await ticks.getByRole('button', { name: 'Start your server' }).click();
  await expect(ticks).toHaveAttribute('data-learner', 'running', { timeout: 20_000 });
  await ticks.getByRole('button', { name: '100 socket.io connections' }).click();
  await expect(ticks.locator('[data-part="status"]')).toContainText('100 socket.io connections done', { timeout: 30_000 });
  const timers = ticks.locator('[data-part="gauges"] tr[data-gauge="activeTimers"] td').first();
  await expect.poll(async () => Number(await timers.innerText()), { timeout: 5_000 }).toBeGreaterThanOrEqual(100);

  await sse.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-7-dashboard.png') });
  await ticks.screenshot({ path: path.join(SHOTS, 'hub-8-dashboard-lab04.png') });
  for (const panel of [sse, ticks]) await panel.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(ticks).toHaveAttribute('data-learner', 'stopped');
});

test('the hub refuses API calls from another origin', async ({ request }) => {
  const refused = await request.get(`${hubUrl}/api/hub`, { headers: { origin: 'http://evil.example' } });
  expect(refused.status()).toBe(403);
  const allowed = await request.get(`${hubUrl}/api/hub`);
  expect((await allowed.json()).labs.map((lab: { id: string }) => lab.id)).toContain(LAB);
});

test('served without the hub, a lab panel says how to start it', async ({ page }) => {
  // The Playwright config serves the same dist/ with `astro preview` on LEAKLAB_SITE_PORT (4399).
  await page.goto(`http://127.0.0.1:${process.env.LEAKLAB_SITE_PORT ?? 4399}/labs/dashboard/`);
  const panel = page.locator('.lab-panel').first();
  await expect(panel.locator('[data-part="offline"]')).toBeVisible();
  await expect(panel.locator('[data-part="offline"]')).toContainText('npm start');
  await expect(panel.locator('[data-part="live"]')).toBeHidden();
  await page.screenshot({ path: path.join(SHOTS, 'hub-9-without-hub.png') });
});
