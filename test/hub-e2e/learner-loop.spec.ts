/**
 * The learner's loop in a real browser, against the server `npm start` runs, with a scratch
 * workspace and output folder (hub-process.ts): edit the file → the panel says the server is out of
 * date → restart → check PASS → the labs index and `npx leaklab list --json` show it; a syntax
 * error named with its file; hints; reset keeping the learner's version; the dashboard with a
 * stored snapshot comparison; a 390 px phone where the graph stays in view while load runs.
 * Screenshots: output/screenshots/hub-loop-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startHubProcess, type HubProcess } from './hub-process.ts';

const SHOTS = path.join(ROOT, 'output', 'screenshots');
const course = JSON.parse(readFileSync(path.join(ROOT, 'labs/course.json'), 'utf8')) as { labs: { id: string; hints: string[] }[] };

let hub: HubProcess;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000); // npm start builds the site first when dist/ is stale
  hub = await startHubProcess();
});

test.afterAll(async () => {
  await hub?.stop();
});

const panelOf = (page: Page, lab: string) => page.locator(`.lab-panel[data-lab="${lab}"]`);
const learnerFile = (lab: string) => path.join(hub.workspace, lab, 'server.ts');

/** Page errors (an exception in the panel's script) fail the test that caused them. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('fix → the panel says the server is out of date → restart → check PASS → the index and `npx leaklab list` show it', async ({ page }) => {
  test.setTimeout(300_000);
  const lab = '01-unbounded-cache';
  const errors = watchErrors(page);
  await page.goto(`${hub.url}/labs/${lab}/`);
  const panel = panelOf(page, lab);
  await expect(panel).toHaveAttribute('data-hub', 'connected');
  await expect(panel.locator('[data-part="file-path"]')).toHaveText(/01-unbounded-cache\/server\.ts$/);
  await expect(panel.locator('[data-part="tunables"]')).toContainText("checker's settings");
  // Each setting says what it means (from the lab's tunables), e.g. the cache's time to live.
  await expect(panel.locator('[data-part="tunables"] code', { hasText: 'LEAKLAB_CACHE_TTL_SECONDS' })).toHaveAttribute('title', /stale and must be fetched again/);
  await panel.getByRole('button', { name: 'Start your server', exact: true }).click();
  await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 30_000 });
  const oldPid = await panel.getAttribute('data-learner-pid');

  // The learner fixes the file (here: the reference fix, written over their copy).
  writeFileSync(learnerFile(lab), readFileSync(path.join(ROOT, 'solutions', lab, 'server.ts'), 'utf8'));
  const stale = panel.locator('[data-part="stale"]');
  await expect(stale).toContainText('Your file changed since your server started', { timeout: 15_000 });
  // Measuring the old code is refused until the restart.
  await panel.getByRole('button', { name: '100 requests' }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText('restart it first');
  await page.screenshot({ path: path.join(SHOTS, 'hub-loop-1-out-of-date.png') });
  // "View my file" shows the file as it is now, with numbered lines.
  const view = panel.getByRole('link', { name: 'View my file' });
  await expect(view).toHaveAttribute('href', `/api/source/${lab}/learner`);
  const source = await page.request.get(`${hub.url}/api/source/${lab}/learner`);
  expect(await source.text()).toContain('<span id="L1">');
  expect(await source.text()).toContain('// Fix:');
  await stale.getByRole('button', { name: 'Restart with my changes' }).click();
  await expect(stale).toBeHidden({ timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-learner', 'running');
  expect(await panel.getAttribute('data-learner-pid')).not.toBe(oldPid);

  await panel.getByRole('button', { name: 'Check my fix' }).click();
  const verdict = panel.locator('[data-part="verdict"]');
  await expect(verdict).toHaveAttribute('data-status', 'pass', { timeout: 180_000 });
  await expect(panel.locator('[data-part="last-check"]')).toContainText('PASS');

  // A reload keeps the verdict and the last check.
  await page.reload();
  await expect(panel).toHaveAttribute('data-hub', 'connected');
  await expect(verdict).toHaveAttribute('data-status', 'pass');
  await expect(panel.locator('[data-part="last-check"]')).toContainText('PASS');

  // The labs index shows it...
  await page.goto(`${hub.url}/labs/`);
  const progress = page.locator('.lab-progress');
  await expect(progress).toHaveAttribute('data-hub', 'connected');
  await expect(progress.locator(`tr[data-lab="${lab}"]`)).toHaveAttribute('data-status', 'pass');
  await expect(progress.locator('[data-part="fixed"]')).toHaveText(`1 of ${course.labs.length} fixed.`);
  await progress.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-loop-2-index.png') });

  // ...and so does the terminal, with the command as the product prints it.
  const { stdout } = await promisify(execFile)('npx', ['--no-install', 'leaklab', 'list', '--json'], { cwd: ROOT, env: hub.env });
  const listed = JSON.parse(stdout) as { id: string; file: string; status: string }[];
  const entry = listed.find((l) => l.id === lab);
  expect(entry?.status).toBe('pass');
  expect(path.resolve(ROOT, entry!.file)).toBe(learnerFile(lab));
  expect(listed.map((l) => l.id)).toEqual(course.labs.map((l) => l.id));
  expect(errors).toEqual([]);
});

test('a syntax error is named with its file; hints come one at a time; reset keeps the learner’s version', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = '02-sse-listener';
  const errors = watchErrors(page);
  const shipped = readFileSync(path.join(ROOT, 'labs', lab, 'server.ts'), 'utf8');
  const broken = `${shipped}\nconst oops = ;\n`;
  writeFileSync(learnerFile(lab), broken);
  await page.goto(`${hub.url}/labs/${lab}/`);
  const panel = panelOf(page, lab);
  await expect(panel).toHaveAttribute('data-hub', 'connected');
  await panel.getByRole('button', { name: 'Start your server', exact: true }).click();
  const alert = panel.locator('[data-part="crash"]');
  await expect(alert).toContainText('02-sse-listener/server.ts', { timeout: 30_000 });
  await expect(alert).toContainText(/does not compile|syntax/i);
  await expect(alert).not.toContainText(/\n\s+at /);
  await alert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-loop-3-syntax-error.png') });

  // Hints: one more per click, the same store as `leaklab hint`, kept across a reload.
  await panel.getByRole('button', { name: 'Show a hint' }).click();
  const hints = panel.locator('[data-part="hints"] li');
  await expect(hints).toHaveCount(1);
  await expect(hints.first()).toHaveText(course.labs.find((l) => l.id === lab)!.hints[0]!);
  await panel.getByRole('button', { name: /Next hint/ }).click();
  await expect(hints).toHaveCount(2);
  await page.reload();
  await expect(panel.locator('[data-part="hints"] li')).toHaveCount(2);

  // Reset: confirmed, the file is back as shipped, the broken version kept in the output folder.
  page.once('dialog', (dialog) => void dialog.accept());
  await panel.getByRole('button', { name: 'Reset my file' }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText('is back as shipped; your version is saved as');
  expect(readFileSync(learnerFile(lab), 'utf8')).toBe(shipped);
  const backups = readdirSync(path.join(hub.output, 'backups')).filter((name) => name.startsWith(lab));
  expect(backups).toHaveLength(1);
  expect(readFileSync(path.join(hub.output, 'backups', backups[0]!), 'utf8')).toBe(broken);
  await panel.getByRole('button', { name: 'Start your server', exact: true }).click();
  await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 30_000 });
  await panel.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(panel).toHaveAttribute('data-learner', 'stopped');
  expect(errors).toEqual([]);
});

test('the dashboard shows every lab, running ones as running, with a snapshot comparison stored', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = '01-unbounded-cache';
  const errors = watchErrors(page);
  await page.goto(`${hub.url}/labs/${lab}/`);
  const panel = panelOf(page, lab);
  await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 30_000 }); // still running from the first test
  await panel.getByRole('button', { name: 'Take baseline snapshot' }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText('Snapshot written', { timeout: 60_000 });
  await panel.getByRole('button', { name: '500 requests' }).click();
  await expect(panel.locator('[data-part="status"]')).toContainText('requests done', { timeout: 60_000 });
  await panel.getByRole('button', { name: 'Take later snapshot and compare' }).click();
  await expect(panel.locator('[data-part="diff-table"]')).toBeVisible({ timeout: 90_000 });

  await page.goto(`${hub.url}/labs/dashboard/`);
  await expect(page.locator('.lab-panel[data-hub="connected"]')).toHaveCount(course.labs.length);
  const compact = panelOf(page, lab);
  await expect(compact).toHaveAttribute('data-learner', 'running');
  await expect(compact.locator('[data-part="status"]')).toContainText('Your server: running at');
  await expect.poll(async () => Number(await compact.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(2);
  await compact.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'hub-loop-4-dashboard.png') });
  expect(errors).toEqual([]);
});

test('on a 390 px phone the graph stays in view while load runs', async ({ browser }) => {
  test.setTimeout(120_000);
  const lab = '04-uncleared-interval';
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(`${hub.url}/labs/${lab}/`);
    const panel = panelOf(page, lab);
    await expect(panel).toHaveAttribute('data-hub', 'connected');
    await panel.getByRole('button', { name: 'Start your server', exact: true }).click();
    await expect(panel).toHaveAttribute('data-learner', 'running', { timeout: 30_000 });
    // The learner scrolls the graph to the top of the screen: the load buttons are on the same screen.
    await panel.locator('.lab-panel__graph').evaluate((graph) => graph.scrollIntoView({ block: 'start' }));
    const button = panel.getByRole('button', { name: '500 socket.io connections' });
    const reachable = await button.boundingBox();
    expect(reachable!.y + reachable!.height, 'the load button is on the screen that shows the graph').toBeLessThanOrEqual(844);
    await button.click();
    await expect(panel.locator('[data-part="progress"]')).toBeVisible();
    // While load runs, the graph and the progress are both on screen.
    const chart = await panel.locator('[data-part="chart"]').boundingBox();
    const progress = await panel.locator('[data-part="progress"]').boundingBox();
    expect(chart!.y, 'the top of the graph is on screen').toBeGreaterThanOrEqual(0);
    // ...and not under the page's sticky header: what is drawn there is the graph itself.
    const onTop = await page.evaluate(([x, y]) => Boolean(document.elementFromPoint(x!, y!)?.closest('[data-part="chart"]')), [chart!.x + chart!.width / 2, chart!.y + 12]);
    expect(onTop, 'the top of the graph is not hidden under the header').toBe(true);
    expect(chart!.y + chart!.height, 'the graph ends above the bottom of the screen').toBeLessThanOrEqual(844);
    expect(progress!.y + progress!.height, 'the progress is on screen').toBeLessThanOrEqual(844);
    await page.screenshot({ path: path.join(SHOTS, 'hub-loop-5-phone.png') });
    await expect(panel.locator('[data-part="status"]')).toContainText('connections done', { timeout: 60_000 });
    await panel.getByRole('button', { name: 'Stop', exact: true }).click();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
