/**
 * Interview practice mode, against the built site in a real Chromium: a random question, reveal,
 * rate, a progress counter that changes and survives a reload, a new question after each rating,
 * keyboard use, and the static questions page that shares the same data. The scheduling rules
 * (practice-deck.ts) are checked first as plain functions.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { interviewQuestions } from '../../site/data/interview.ts';
import {
  describeSummary,
  parseProgress,
  pickNext,
  rate,
  STORAGE_KEY,
  summarize,
  WEIGHTS,
  type Progress,
} from '../../site/scripts/practice-deck.ts';

const SCREENSHOTS = resolve('output/screenshots');
const TOTAL = interviewQuestions.length;
const ids = interviewQuestions.map((question) => question.id);

/** A repeatable stand-in for Math.random: a simple linear congruential sequence in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test.describe('practice scheduling rules', () => {
  test('saved progress is read tolerantly: garbage, other versions and unknown questions are ignored', () => {
    for (const raw of [null, '', 'not json', '[]', '{"version":2,"ratings":{}}', '{"version":1}']) {
      expect(parseProgress(raw, ids), `input ${raw}`).toEqual({ version: 1, ratings: {} });
    }
    const stored = JSON.stringify({
      version: 1,
      ratings: {
        [ids[0]!]: { rating: 'good', times: 2, at: 5 },
        [ids[1]!]: { rating: 'perfect', times: 1, at: 5 }, // not a rating
        'a-question-that-was-removed': { rating: 'easy', times: 1, at: 5 },
      },
    });
    expect(parseProgress(stored, ids).ratings).toEqual({ [ids[0]!]: { rating: 'good', times: 2, at: 5 } });
  });

  test('rating counts repeats, keeps the latest rating and does not modify the old progress', () => {
    const empty = parseProgress(null, ids);
    const once = rate(empty, ids[0]!, 'again', 1);
    const twice = rate(once, ids[0]!, 'easy', 2);
    expect(empty.ratings).toEqual({});
    expect(twice.ratings[ids[0]!]).toEqual({ rating: 'easy', times: 2, at: 2 });
    expect(describeSummary(summarize(twice, ids))).toBe(`1 of ${TOTAL} questions rated (again 0, good 0, easy 1)`);
  });

  test('the next question is never the current one, and "again" comes up more often than "easy"', () => {
    const [hard, easy, ...rest] = ids;
    let progress: Progress = rate(rate(parseProgress(null, ids), hard!, 'again', 1), easy!, 'easy', 1);
    for (const id of rest) progress = rate(progress, id, 'good', 1);
    const random = seededRandom(42);
    const shown = new Map<string, number>();
    let current: string | null = null;
    let repeats = 0;
    for (let i = 0; i < 4000; i++) {
      const next = pickNext(ids, progress, current, random);
      if (next === current) repeats++;
      shown.set(next, (shown.get(next) ?? 0) + 1);
      current = next;
    }
    expect(repeats).toBe(0);
    expect(WEIGHTS.again).toBeGreaterThan(WEIGHTS.easy);
    expect(shown.get(hard!) ?? 0).toBeGreaterThan(2 * (shown.get(easy!) ?? 0));
    expect(shown.size).toBe(TOTAL); // every question still comes up
    expect(pickNext(['only'], parseProgress(null, ['only']), 'only', random)).toBe('only');
  });
});

/** Collect console errors, uncaught exceptions and failed requests (with their URLs) in the page. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}

const deck = (page: Page) => page.locator('[data-practice]');
const progressLine = (page: Page) => page.locator('[data-progress]');
const visibleCard = (page: Page) => page.locator('[data-question-id]:visible');
const currentQuestionId = (page: Page) => deck(page).getAttribute('data-current-question');

test.describe('practice mode in the browser', () => {
  test.beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  test('reveal, rate, see progress change, get a new question, keep progress across a reload', async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto('/interview/practice/');

    await expect(deck(page)).toBeVisible();
    await expect(page.getByText('Practice mode needs JavaScript')).toBeHidden();
    await expect(progressLine(page)).toHaveText(`0 of ${TOTAL} questions rated (again 0, good 0, easy 0)`);
    await expect(visibleCard(page)).toHaveCount(1);
    const first = await currentQuestionId(page);
    expect(ids).toContain(first);

    // Before reveal: the question and a prompt to think, no answer, no rating buttons.
    const card = visibleCard(page);
    await expect(card.getByRole('heading', { level: 2 })).toBeVisible();
    await expect(card.getByText('Strong answer')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Good' })).toBeHidden();

    await page.getByRole('button', { name: /Reveal the answer/ }).click();
    await expect(card.getByText('Strong answer')).toBeVisible();
    await expect(card.getByText('The trap')).toBeVisible();
    await expect(card.locator('.practice-proof a').first()).toBeVisible();
    await expect(page.getByRole('button', { name: /Reveal the answer/ })).toBeHidden();
    // Scroll the card's top just below Starlight's fixed header, so the picture shows question and answer.
    await page.evaluate(`window.scrollTo(0, document.querySelector('[data-practice]').getBoundingClientRect().top + window.scrollY - 80)`);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'practice-revealed.png') });

    await page.getByRole('button', { name: /Good/ }).click();
    await expect(progressLine(page)).toHaveText(`1 of ${TOTAL} questions rated (again 0, good 1, easy 0)`);
    const second = await currentQuestionId(page);
    expect(second).not.toBe(first);
    await expect(visibleCard(page)).toHaveCount(1);
    await expect(visibleCard(page).getByText('Strong answer')).toBeHidden();
    await expect(page.getByRole('button', { name: /Reveal the answer/ })).toBeVisible();

    const saved = (await page.evaluate(`localStorage.getItem(${JSON.stringify(STORAGE_KEY)})`)) as string | null;
    expect(saved, `progress saved in localStorage under ${STORAGE_KEY}`).not.toBeNull();
    expect(JSON.parse(saved!).ratings[first!]).toMatchObject({ rating: 'good', times: 1 });

    await page.reload();
    await expect(progressLine(page)).toHaveText(`1 of ${TOTAL} questions rated (again 0, good 1, easy 0)`);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'practice-after-reload.png') });

    // "Another question" moves on without rating.
    const before = await currentQuestionId(page);
    await page.getByRole('button', { name: /Another question/ }).click();
    expect(await currentQuestionId(page)).not.toBe(before);
    await expect(progressLine(page)).toContainText(`1 of ${TOTAL}`);

    // Reset asks first: one click changes nothing, a second click erases the ratings.
    await page.getByRole('button', { name: 'Reset my progress' }).click();
    await expect(progressLine(page)).toContainText(`1 of ${TOTAL}`);
    await page.getByRole('button', { name: /Click again to confirm/ }).click();
    await expect(progressLine(page)).toHaveText(`0 of ${TOTAL} questions rated (again 0, good 0, easy 0)`);
    await expect(page.getByRole('button', { name: 'Reset my progress' })).toBeVisible();
    await page.reload();
    await expect(progressLine(page)).toContainText(`0 of ${TOTAL}`);

    expect(errors).toEqual([]);
  });

  test('works from the keyboard alone', async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto('/interview/practice/');
    await expect(deck(page)).toBeVisible();
    const first = await currentQuestionId(page);

    // Tab to the reveal button and press Enter, as a keyboard user would.
    const reveal = page.getByRole('button', { name: /Reveal the answer/ });
    const focusedAction = () => page.evaluate('document.activeElement?.dataset?.action ?? null');
    for (let i = 0; i < 80 && (await focusedAction()) !== 'reveal'; i++) await page.keyboard.press('Tab');
    await expect(reveal).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(visibleCard(page).getByText('Strong answer')).toBeVisible();
    // The answer takes focus so a screen reader reads it next.
    await expect(visibleCard(page).locator('[data-answer]')).toBeFocused();

    // Single-key shortcuts: 1 = again.
    await page.keyboard.press('1');
    await expect(progressLine(page)).toHaveText(`1 of ${TOTAL} questions rated (again 1, good 0, easy 0)`);
    const second = await currentQuestionId(page);
    expect(second).not.toBe(first);
    await expect(visibleCard(page).getByRole('heading', { level: 2 })).toBeFocused();

    // Rating keys do nothing before the answer is revealed.
    await page.keyboard.press('3');
    await expect(progressLine(page)).toContainText(`1 of ${TOTAL}`);
    await page.keyboard.press('r');
    await page.keyboard.press('3');
    await expect(progressLine(page)).toHaveText(`2 of ${TOTAL} questions rated (again 1, good 0, easy 1)`);

    // Typing in the site search must not trigger shortcuts.
    await page.getByRole('button', { name: 'Search' }).first().click();
    await page.keyboard.type('r2');
    await page.keyboard.press('Escape');
    await expect(progressLine(page)).toContainText(`2 of ${TOTAL}`);
    await expect(visibleCard(page).getByText('Strong answer')).toBeHidden();

    expect(errors).toEqual([]);
  });

  test('without JavaScript the page points to the questions page instead', async ({ page, request }) => {
    // Chromium under Playwright still parses <noscript> as raw text when scripts are disabled, so
    // check what the server sends: a <noscript> fallback that links to the questions page...
    const html = await (await request.get('/interview/practice/')).text();
    const fallback = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? '';
    expect(fallback).toContain('Practice mode needs JavaScript');
    expect(fallback).toContain('href="/interview/questions/"');
    // ...and that the practice deck itself starts hidden until the script has set it up.
    expect(html).toMatch(/<section[^>]*class="practice[^"]*"[^>]*hidden|<section[^>]*hidden[^>]*class="practice/);
    const response = await page.goto('/interview/questions/');
    expect(response?.status()).toBe(200);
  });

  test('the questions page shows every question from the same data, each answered and proven', async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto('/interview/questions/');
    const sections = page.locator('section.interview-question');
    await expect(sections).toHaveCount(TOTAL);
    for (const question of interviewQuestions) {
      const section = page.locator(`section.interview-question:has(h2#${question.id})`);
      await expect(section.getByText('Strong answer')).toBeVisible();
      await expect(section.getByText('The trap')).toBeVisible();
      expect(await section.locator('.practice-proof a').count(), `proof links of ${question.id}`).toBeGreaterThan(0);
    }
    // The corrected "senior" answer: the WeakMap is keyed by the socket, and sharding by id is the trap.
    const senior = page.locator('section.interview-question:has(h2#ws-state-at-scale)');
    await expect(senior).toContainText('keyed by the socket object');
    await expect(senior).toContainText('Invalid value used as weak map key');
    // The index links to each question.
    await page.locator('nav.question-index a[href="#ws-state-at-scale"]').click();
    await expect(page).toHaveURL(/#ws-state-at-scale$/);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'interview-questions.png') });
    expect(errors).toEqual([]);
  });
});
