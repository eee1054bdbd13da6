/**
 * The practice mode in the browser: show one question card at a time, reveal its answer, record the
 * learner's rating in localStorage and pick the next question. Decisions live in practice-deck.ts;
 * this file only wires them to the page that PracticeDeck.astro rendered.
 */
import {
  describeSummary,
  emptyProgress,
  parseProgress,
  pickNext,
  rate,
  STORAGE_KEY,
  summarize,
  type Progress,
  type Rating,
} from './practice-deck.ts';

/** localStorage can be missing or throw (private modes, blocked storage): fall back to memory. */
function openStore(): { load: () => string | null; save: (value: string) => boolean } {
  return {
    load() {
      try {
        return window.localStorage.getItem(STORAGE_KEY);
      } catch {
        return null;
      }
    },
    save(value) {
      try {
        window.localStorage.setItem(STORAGE_KEY, value);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`practice mode: missing ${selector}`);
  return element;
}

const LAST_RATING_TEXT: Record<Rating, string> = {
  again: 'Last time: again',
  good: 'Last time: good',
  easy: 'Last time: easy',
};

export function startPractice(): void {
  const root = document.querySelector<HTMLElement>('[data-practice]');
  if (!root) return;
  const cards = [...root.querySelectorAll<HTMLElement>('[data-question-id]')];
  const ids = cards.map((card) => card.dataset.questionId ?? '');
  const progressLine = required<HTMLElement>(root, '[data-progress]');
  const revealButton = required<HTMLButtonElement>(root, '[data-action="reveal"]');
  const ratingGroup = required<HTMLElement>(root, '[data-rating]');
  const skipButton = required<HTMLButtonElement>(root, '[data-action="skip"]');
  const resetButton = required<HTMLButtonElement>(root, '[data-action="reset"]');
  const storageNote = required<HTMLElement>(root, '[data-storage-note]');

  const store = openStore();
  let progress: Progress = parseProgress(store.load(), ids);
  let currentId: string | null = null;
  let revealed = false;

  const cardOf = (id: string) => cards[ids.indexOf(id)]!;

  function showSummary(): void {
    progressLine.textContent = describeSummary(summarize(progress, ids));
  }

  function persist(): void {
    if (!store.save(JSON.stringify(progress))) storageNote.hidden = false;
    showSummary();
  }

  /** Show question `id` with its answer hidden; move focus to it when the learner asked for it. */
  function show(id: string, focus: boolean): void {
    for (const card of cards) card.hidden = card.dataset.questionId !== id;
    const card = cardOf(id);
    required<HTMLElement>(card, '[data-answer]').hidden = true;
    required<HTMLElement>(card, '[data-think]').hidden = false;
    const record = progress.ratings[id];
    required<HTMLElement>(card, '[data-last-rating]').textContent = record ? LAST_RATING_TEXT[record.rating] : 'New question';
    currentId = id;
    revealed = false;
    revealButton.hidden = false;
    ratingGroup.hidden = true;
    root!.dataset.currentQuestion = id;
    if (focus) required<HTMLElement>(card, '.practice-question').focus();
  }

  function reveal(): void {
    if (currentId === null || revealed) return;
    const card = cardOf(currentId);
    const answer = required<HTMLElement>(card, '[data-answer]');
    answer.hidden = false;
    required<HTMLElement>(card, '[data-think]').hidden = true;
    revealed = true;
    revealButton.hidden = true;
    ratingGroup.hidden = false;
    // Focus the answer so a screen reader reads it; the rating buttons come next in tab order.
    answer.focus();
  }

  function rateCurrent(rating: Rating): void {
    if (currentId === null || !revealed) return;
    progress = rate(progress, currentId, rating, Date.now());
    persist();
    show(pickNext(ids, progress, currentId, Math.random), true);
  }

  function next(): void {
    show(pickNext(ids, progress, currentId, Math.random), true);
  }

  revealButton.addEventListener('click', reveal);
  skipButton.addEventListener('click', next);
  for (const button of ratingGroup.querySelectorAll<HTMLButtonElement>('[data-rate]')) {
    button.addEventListener('click', () => rateCurrent(button.dataset.rate as Rating));
  }
  // Reset takes two clicks: the first only asks, so one stray click cannot erase every rating.
  const resetLabel = resetButton.textContent ?? 'Reset my progress';
  let resetConfirmTimer: ReturnType<typeof setTimeout> | undefined;
  function disarmReset(): void {
    clearTimeout(resetConfirmTimer);
    resetConfirmTimer = undefined;
    resetButton.textContent = resetLabel;
  }
  resetButton.addEventListener('click', () => {
    if (resetConfirmTimer === undefined) {
      resetButton.textContent = 'Erase all your ratings? Click again to confirm';
      resetConfirmTimer = setTimeout(disarmReset, 5000);
      return;
    }
    disarmReset();
    progress = emptyProgress();
    persist();
    if (currentId !== null) show(currentId, false);
  });

  // Single-key shortcuts, ignored while typing (e.g. in the site search) or with a modifier held.
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], dialog[open]')) return;
    const key = event.key.toLowerCase();
    if (key === 'r') reveal();
    else if (key === 'n') next();
    else if (key === '1') rateCurrent('again');
    else if (key === '2') rateCurrent('good');
    else if (key === '3') rateCurrent('easy');
    else return;
    event.preventDefault();
  });

  root.hidden = false;
  showSummary();
  show(pickNext(ids, progress, null, Math.random), false);
}
