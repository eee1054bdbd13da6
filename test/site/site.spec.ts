/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The course site, built (dist/) and served by `astro preview`, as a learner's browser sees it:
 * every page renders without errors, navigation and search work, no internal link or #anchor is
 * broken, code blocks render, content pages ship only Starlight's own JavaScript, pages are
 * accessible in structure, and key pages are kept as screenshots in output/screenshots/ (look at
 * them). Page weights are written to output/site-weights.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

const SCREENSHOTS = path.resolve('output/screenshots');

/** Pages allowed to ship their own script: the hub's live panels (lab pages, the lab dashboard) and the practice mode. */
// Lab pages and the dashboard carry the hub's panel, the labs index its progress table (LabProgress).
const PAGES_WITH_OWN_SCRIPT = [/^\/labs\/\d\d-[a-z-]+\/$/, /^\/labs\/dashboard\/$/, /^\/labs\/$/, /^\/interview\/practice\/$/];

/**
 * A page that uses only Starlight's own features (prose, tables, code blocks, table of contents):
 * whatever scripts it carries are Starlight's, so it is the reference for every content page.
 */
const STARLIGHT_ONLY_PAGE = '/start/setup/';

/** External scripts Starlight itself emits: Astro's prefetch (page.*), search, tables of contents, Expressive Code. */
const STARLIGHT_SCRIPT = /^\/_astro\/(page\.[\w-]+|Search\.astro_astro_type_script_index_\d_lang\.[\w-]+|(Mobile)?TableOfContents\.astro_astro_type_script_index_\d_lang\.[\w-]+|ec\.[\w-]+)\.js$/;

/** Every page of the built site, as paths, from the sitemap Astro writes; throws on a missing or near-empty sitemap. */
async function sitemapPaths(request: APIRequestContext): Promise<string[]> {
  const indexResponse = await request.get('/sitemap-index.xml');
  if (!indexResponse.ok()) throw new Error(`/sitemap-index.xml answered HTTP ${indexResponse.status()}: is the site built (npx astro build)?`);
  const index = await indexResponse.text();
  const sitemaps = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  const paths: string[] = [];
  for (const sitemap of sitemaps) {
    const xml = await (await request.get(sitemap)).text();
    for (const match of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) paths.push(new URL(match[1]!).pathname);
  }
  const unique = [...new Set(paths)].sort();
  // A build that went wrong can still write a sitemap; a course this size has dozens of pages.
  if (unique.length < 25) throw new Error(`the sitemap lists only ${unique.length} pages: the build looks incomplete`);
  return unique;
}

/** Console errors, uncaught exceptions and failed same-origin requests while `page` loads `url`. */
async function problemsWhileLoading(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  };
  const onPageError = (error: Error) => problems.push(`uncaught: ${error.message}`);
  const onResponse = (response: { url(): string; status(): number }) => {
    if (response.status() >= 400 && new URL(response.url()).origin === new URL(page.url() || url, 'http://x').origin) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  try {
    // networkidle: late requests (the favicon, Starlight's idle-time search UI) must succeed too.
    const response = await page.goto(url, { waitUntil: 'networkidle' });
    if (!response || response.status() !== 200) problems.push(`page answered HTTP ${response?.status()}`);
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('response', onResponse);
  }
  return problems;
}

function shot(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `site-${name}.png`);
}

test('the sitemap lists every section and the four cause pages at their exact slugs', async ({ request }) => {
  const paths = await sitemapPaths(request);
  for (const required of [
    '/',
    '/start/',
    '/start/setup/',
    '/start/how-a-lab-works/',
    '/start/facilitator-guide/',
    '/how-v8-works/',
    '/causes/unbounded-cache/',
    '/causes/event-listeners/',
    '/causes/closures/',
    '/causes/timers/',
    '/labs/',
    '/labs/01-unbounded-cache/',
    '/labs/02-sse-listener/',
    '/labs/03-closure-capture/',
    '/labs/04-uncleared-interval/',
    '/labs/05-outside-the-heap/',
    '/labs/06-socket-state/',
    '/labs/07-post-mortem/',
  ]) {
    expect(paths, `sitemap should list ${required}`).toContain(required);
  }
});

test('every page renders without console errors, uncaught exceptions or failed requests', async ({ page, request }) => {
  test.setTimeout(180_000);
  const failures: string[] = [];
  for (const url of await sitemapPaths(request)) {
    const problems = await problemsWhileLoading(page, url);
    const title = await page.locator('h1').first().textContent();
    if (!title?.trim()) problems.push('no h1 title');
    failures.push(...problems.map((problem) => `${url}: ${problem}`));
  }
  expect(failures).toEqual([]);
});

test('no internal link or #anchor is broken on any page', async ({ request }) => {
  test.setTimeout(180_000);
  const pages = await sitemapPaths(request);
  const html = new Map<string, string>();
  const status = new Map<string, number>();
  async function load(pathname: string): Promise<string | undefined> {
    if (!status.has(pathname)) {
      const response = await request.get(pathname);
      status.set(pathname, response.status());
      if (response.ok() && (response.headers()['content-type'] ?? '').includes('text/html')) html.set(pathname, await response.text());
    }
    return html.get(pathname);
  }
  const idsOf = (text: string) => new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!));

  const broken: string[] = [];
  let checked = 0;
  for (const from of pages) {
    const text = await load(from);
    if (text === undefined) {
      broken.push(`${from}: page itself did not load`);
      continue;
    }
    for (const [, rawHref] of text.matchAll(/<a\s[^>]*?href="([^"]*)"/g)) {
      const href = rawHref!.replaceAll('&amp;', '&');
      const target = new URL(href, `http://site${from}`);
      if (target.origin !== 'http://site') continue; // external: not ours to check here
      checked += 1;
      const targetText = await load(target.pathname);
      if (status.get(target.pathname) !== 200) {
        broken.push(`${from}: ${href} answers HTTP ${status.get(target.pathname)}`);
        continue;
      }
      const anchor = decodeURIComponent(target.hash.slice(1));
      if (anchor && targetText !== undefined && !idsOf(targetText).has(anchor)) {
        broken.push(`${from}: ${href} has no element with id "${anchor}"`);
      }
    }
  }
  expect(checked, 'the crawl should have followed internal links').toBeGreaterThan(100);
  expect(broken).toEqual([]);
});

test('the sidebar and the page footer navigate between pages', async ({ page }) => {
  await page.goto('/start/');
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await sidebar.getByRole('link', { name: 'Closures', exact: true }).click();
  await expect(page).toHaveURL(/\/causes\/closures\/$/);
  await expect(page.locator('h1')).toHaveText('Closures');
  await expect(sidebar.getByRole('link', { name: 'Closures', exact: true })).toHaveAttribute('aria-current', 'page');

  await sidebar.getByRole('link', { name: '01 · Unbounded cache' }).click();
  await expect(page).toHaveURL(/\/labs\/01-unbounded-cache\/$/);
  await expect(page.locator('h1')).toHaveText('Lab 01: Unbounded cache');

  // Starlight's "Next" link at the foot of each page follows the sidebar order.
  await page.goto('/start/');
  await page.getByRole('link', { name: /Next/ }).click();
  await expect(page).toHaveURL(/\/start\/setup\/$/);
});

test('search finds a term and opens the page that explains it', async ({ page }) => {
  await page.goto('/');
  const open = page.locator('button[data-open-modal]').first();
  await expect(open).toBeEnabled();
  await open.click();
  const input = page.getByRole('dialog', { name: 'Search' }).getByRole('textbox', { name: 'Search' });
  await input.fill('Scavenge');
  const firstResult = page.locator('.pagefind-ui__result-link').first();
  await expect(firstResult).toBeVisible({ timeout: 15_000 });
  const results = await page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).pathname));
  expect(results).toContain('/how-v8-works/generations/');
  await page.locator('.pagefind-ui__result-link[href^="/how-v8-works/generations/"]').first().click();
  await expect(page).toHaveURL(/\/how-v8-works\/generations\//);
  await expect(page.locator('h1')).toHaveText(/Generations/);
});

test('code blocks render: real files with titles, the fix as a diff, a copy button', async ({ page }) => {
  await page.goto('/causes/closures/');
  const blocks = page.locator('.expressive-code');
  expect(await blocks.count()).toBeGreaterThanOrEqual(4);
  const labExcerpt = blocks.filter({ hasText: "app.post('/prices/refresh'" }).first();
  await expect(labExcerpt.locator('figcaption')).toContainText('labs/03-closure-capture/server.ts');
  await expect(labExcerpt).toBeVisible();
  const diff = blocks.filter({ has: page.locator('.ec-line.ins') }).first();
  await expect(diff.locator('.ec-line.del').first()).toBeVisible();
  await expect(diff.locator('.ec-line.ins').first()).toBeVisible();
  await expect(diff).toContainText('countChanges(previous, table)');
  await expect(blocks.first().locator('button[title="Copy to clipboard"]')).toHaveCount(1);
  // Expressive Code colours tokens: a rendered block is not plain monochrome text.
  expect(await labExcerpt.locator('pre code span[style]').count()).toBeGreaterThan(10);
});

test('every TypeScript or JavaScript block names the repository file it shows, or says it is a fragment', async ({ request }) => {
  test.setTimeout(120_000);
  const unlabelled: string[] = [];
  let blocks = 0;
  for (const url of await sitemapPaths(request)) {
    const text = await (await request.get(url)).text();
    for (const [, block] of text.matchAll(/<figure class="frame[^"]*"[^>]*>([\s\S]*?)<\/figure>/g)) {
      const language = /data-language="([^"]+)"/.exec(block!)?.[1] ?? '';
      if (!['ts', 'js', 'typescript', 'javascript', 'tsx', 'jsx', 'mjs', 'diff'].includes(language)) continue;
      blocks += 1;
      const title = /<span class="title">([^<]*)<\/span>/.exec(block!)?.[1] ?? '';
      const fromRepository = /^(labs|solutions|scripts|kit|hub|cli|test|site)\/\S+\.(ts|js|mjs|astro)\b/.test(title);
      if (!fromRepository && !/fragment/i.test(title)) unlabelled.push(`${url}: ${language} block titled "${title}"`);
    }
  }
  expect(blocks).toBeGreaterThan(20);
  expect(unlabelled).toEqual([]);
});

test('content pages ship no JavaScript beyond Starlight\'s own', async ({ request }) => {
  test.setTimeout(120_000);
  const scriptsOf = (text: string) =>
    [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map(([, attributes, body]) => {
      const src = /\bsrc="([^"]+)"/.exec(attributes!)?.[1];
      return src ? `src:${src}` : `inline:${body!.trim()}`;
    });
  const reference = new Set(scriptsOf(await (await request.get(STARLIGHT_ONLY_PAGE)).text()));
  // The reference itself must hold only Starlight's external scripts.
  for (const script of reference) {
    if (script.startsWith('src:')) expect(script.slice(4)).toMatch(STARLIGHT_SCRIPT);
  }
  const offenders: string[] = [];
  let contentPages = 0;
  for (const url of await sitemapPaths(request)) {
    if (PAGES_WITH_OWN_SCRIPT.some((pattern) => pattern.test(url))) continue;
    contentPages += 1;
    for (const script of scriptsOf(await (await request.get(url)).text())) {
      const isStarlight = script.startsWith('src:') ? STARLIGHT_SCRIPT.test(script.slice(4)) : reference.has(script);
      if (!isStarlight) offenders.push(`${url}: ${script.slice(0, 120)}`);
    }
  }
  expect(contentPages).toBeGreaterThan(20);
  expect(offenders).toEqual([]);
});

test('pages are accessible in structure: one h1, no skipped heading levels, text for every image and diagram', async ({ page, request }) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  for (const url of await sitemapPaths(request)) {
    await page.goto(url);
    const found = await page.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      const levels = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter((heading) => !heading.closest('[hidden], dialog, .expressive-code'))
        .map((heading) => Number(heading.tagName[1]));
      const imagesWithoutAlt = [...document.querySelectorAll('img')].filter((img) => !img.hasAttribute('alt')).length;
      const diagramsWithoutName = [...main.querySelectorAll('svg[role="img"]')].filter(
        (svg) => !svg.getAttribute('aria-label') && !svg.getAttribute('aria-labelledby'),
      ).length;
      const h1Count = document.querySelectorAll('h1').length;
      return { levels, imagesWithoutAlt, diagramsWithoutName, h1Count };
    });
    if (found.h1Count !== 1) problems.push(`${url}: ${found.h1Count} h1 elements`);
    for (let i = 1; i < found.levels.length; i += 1) {
      if (found.levels[i]! > found.levels[i - 1]! + 1) problems.push(`${url}: h${found.levels[i - 1]} followed by h${found.levels[i]}`);
    }
    if (found.imagesWithoutAlt) problems.push(`${url}: ${found.imagesWithoutAlt} img without alt`);
    if (found.diagramsWithoutName) problems.push(`${url}: ${found.diagramsWithoutName} svg diagrams without a name`);
  }
  expect(problems).toEqual([]);
});

test('reference-chain diagrams read root to leaked object, with a caption', async ({ page }) => {
  for (const url of ['/causes/unbounded-cache/', '/causes/event-listeners/', '/causes/closures/', '/causes/timers/']) {
    await page.goto(url);
    const chain = page.locator('figure.chain').first();
    await expect(chain.locator('figcaption')).not.toBeEmpty();
    const steps = chain.getByRole('listitem');
    expect(await steps.count()).toBeGreaterThanOrEqual(3);
    await expect(steps.first()).toContainText('GC root');
    await expect(steps.last()).toContainText('leaked');
    // The lab call-out with its exact commands sits near the top of each cause page.
    await expect(page.locator('.lab-callout')).toContainText('npm run leaklab -- check');
  }
});

test('a lab page has the hub panel slot, the commands, hints folded one by one, and the fix hidden until asked', async ({ page }) => {
  await page.goto('/labs/02-sse-listener/');
  await expect(page.locator('.lab-panel[data-lab="02-sse-listener"]')).toHaveCount(1);
  await expect(page.locator('.expressive-code').filter({ hasText: 'npm run leaklab -- check 02' }).first()).toBeVisible();

  const hints = page.locator('.lab-hints details');
  expect(await hints.count()).toBeGreaterThanOrEqual(3);
  const firstHint = hints.first();
  await expect(firstHint.locator('p')).toBeHidden();
  await firstHint.locator('summary').click();
  await expect(firstHint.locator('p')).toBeVisible();
  await expect(hints.nth(1).locator('p')).toBeHidden();

  const fix = page.locator('details.lab-fix');
  await expect(fix.getByText("bus.off('update', sendUpdate)")).toBeHidden();
  await fix.locator('summary').click();
  await expect(fix.getByText("bus.off('update', sendUpdate)")).toBeVisible();
});

test('measured figures link to the experiment that backs them', async ({ page }) => {
  await page.goto('/causes/event-listeners/');
  const figure = page.locator('a.measured[data-measured="max-listeners-default"]').first();
  await expect(figure).toHaveText('10');
  await expect(figure).toHaveAttribute('href', '/reference/experiments/#max-listeners');
});

test('content pages show their reading time under the title', async ({ page }) => {
  for (const url of ['/start/', '/detect/crashes-and-gc/', '/reference/experiments/']) {
    await page.goto(url);
    const readingTime = page.locator('.reading-time');
    await expect(readingTime, url).toHaveText(/^\d+ min read$/);
    // Right under the title, where a reader looks before deciding to read on.
    const titleBox = await page.locator('h1').first().boundingBox();
    const timeBox = await readingTime.boundingBox();
    expect(timeBox!.y, url).toBeGreaterThan(titleBox!.y);
    expect(timeBox!.y - (titleBox!.y + titleBox!.height), url).toBeLessThan(40);
  }
  // The long reference page takes longer than a short overview.
  await page.goto('/how-v8-works/');
  const overview = Number(await page.locator('.reading-time').getAttribute('data-reading-minutes'));
  await page.goto('/reference/experiments/');
  expect(Number(await page.locator('.reading-time').getAttribute('data-reading-minutes'))).toBeGreaterThan(overview);
});

test('a figure that differs between Node lines shows the figure of each line', async ({ page }) => {
  // Inside a sentence: each figure with the lines it holds for.
  await page.goto('/production/heap-limit/');
  const perLine = page.locator('.measured-by-line[data-measured="heap-limit-flag"]').first();
  for (const line of ['Node 20 and 22', 'Node 24', 'Node 26']) await expect(perLine).toContainText(line);
  await expect(perLine.locator('a.measured').first()).toHaveAttribute('href', '/reference/experiments/#heap-limit');
  // As a table of its own: one row per group of lines, with the exact versions.
  await page.goto('/how-v8-works/heap-limit/');
  const table = page.locator('table.measured-table[data-measured="heap-limit-flag"]');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table).toContainText('20.20.2, 22.23.5');
  await expect(table).toContainText('N + 192 MiB');
  // The experiments page lists every line's record with its exact version.
  await page.goto('/reference/experiments/');
  const row = page.locator('#figure-heap-limit-flag');
  for (const version of ['20.20.2', '22.23.5', '24.22.3', '26.12.1']) await expect(row).toContainText(`Node ${version}`);
});

/** Relative luminance (0 black, 1 white) of a computed CSS colour such as "rgb(23, 24, 28)". */
function luminance(cssColour: string): number {
  const [r, g, b] = (cssColour.match(/[\d.]+/g) ?? []).slice(0, 3).map((channel) => {
    const c = Number(channel) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The page's own background and its title's colour, as a reader sees them. */
async function titleContrast(page: Page): Promise<{ background: number; title: number }> {
  const colours = await page.evaluate(() => {
    const title = document.querySelector('main h1') ?? document.querySelector('h1');
    return { background: getComputedStyle(document.body).backgroundColor, title: title ? getComputedStyle(title).color : '' };
  });
  return { background: luminance(colours.background), title: luminance(colours.title) };
}

// The screenshots are kept in output/screenshots/ for a person to look at; the test asserts what
// a reader would check first on each: a title, readable in both themes, and no sideways scrolling
// on a phone.
test('key pages show their title in light and dark, and fit a phone without scrolling sideways', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const keyPages: Array<[string, string]> = [
    ['home', '/'],
    ['start', '/start/'],
    ['facilitator-guide', '/start/facilitator-guide/'],
    ['reachability', '/how-v8-works/reachability/'],
    ['memory-numbers', '/how-v8-works/memory-numbers/'],
    ['cause-closures', '/causes/closures/'],
    ['cause-event-listeners', '/causes/event-listeners/'],
    ['labs', '/labs/'],
    ['lab-01', '/labs/01-unbounded-cache/'],
  ];
  for (const [name, url] of keyPages) {
    await page.goto(url);
    await expect(page.locator('h1').first(), url).toBeVisible();
    const { background, title } = await titleContrast(page);
    expect(background, `${url}: a light page in the light theme`).toBeGreaterThan(0.7);
    expect(title, `${url}: a dark title on it`).toBeLessThan(0.3);
    await page.screenshot({ path: shot(name), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const [name, url] of [['reachability-dark', '/how-v8-works/reachability/'], ['cause-timers-dark', '/causes/timers/']] as const) {
    await page.goto(url);
    const { background, title } = await titleContrast(page);
    expect(background, `${url}: a dark page in the dark theme`).toBeLessThan(0.1);
    expect(title, `${url}: a light title on it`).toBeGreaterThan(0.5);
    await page.screenshot({ path: shot(name), fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  for (const url of ['/causes/unbounded-cache/', '/labs/01-unbounded-cache/', '/how-v8-works/memory-numbers/']) {
    await page.goto(url);
    await expect(page.locator('h1').first(), url).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${url} is ${overflow} px wider than a 390 px phone`).toBeLessThanOrEqual(0);
  }
  await page.goto('/causes/unbounded-cache/');
  await page.screenshot({ path: shot('cause-unbounded-cache-mobile'), fullPage: true });
});

test('page weights: HTML, CSS and JavaScript a few pages load stay small', async ({ browser }) => {
  test.setTimeout(120_000);
  type Weight = { html: number; css: number; js: number; total: number; jsAfterIdle: number };
  const weights: Record<string, Weight> = {};
  for (const url of ['/', '/how-v8-works/reachability/', '/causes/closures/', '/start/facilitator-guide/', '/labs/01-unbounded-cache/']) {
    // A fresh context per page: nothing cached, as a first visit.
    const context = await browser.newContext();
    const page = await context.newPage();
    const atLoad = { html: 0, css: 0, js: 0 };
    let jsAfterIdle = 0;
    let loaded = false;
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      const kind = type.includes('text/html') ? 'html' : type.includes('css') ? 'css' : type.includes('javascript') ? 'js' : undefined;
      if (!kind) return;
      const before = !loaded;
      pending.push(
        response.body().then(
          (body) => {
            if (before) atLoad[kind] += body.length;
            else if (kind === 'js') jsAfterIdle += body.length;
          },
          () => undefined,
        ),
      );
    });
    await page.goto(url, { waitUntil: 'load' });
    loaded = true;
    // Starlight fetches its search UI when the browser is idle: counted apart, it is not in the page.
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    await context.close();
    weights[url] = { ...atLoad, total: atLoad.html + atLoad.css + atLoad.js, jsAfterIdle };
  }
  mkdirSync('output', { recursive: true });
  writeFileSync('output/site-weights.json', `${JSON.stringify(weights, null, 2)}\n`);
  console.log('Page weights in bytes, uncompressed, first visit (inline scripts and styles are in html):');
  console.table(weights);
  // A content page's own JavaScript is Starlight's: about 10 KB of scripts before the search UI.
  for (const url of ['/how-v8-works/reachability/', '/causes/closures/', '/start/facilitator-guide/']) {
    expect(weights[url]!.js, `${url} JavaScript at load`).toBeLessThan(20_000);
  }
});
