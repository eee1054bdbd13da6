/**
 * Turns what the hub sends (verdicts, snapshot comparisons, gauges) into HTML a learner reads.
 * Every value from the hub goes through `text()` so nothing it contains is taken as markup. Sizes
 * and counts are written by kit/format.ts, as the terminal writes them.
 */
import type { ComparisonView } from '../../../hub/protocol.ts';
import { formatBytes } from '../../../kit/format.ts';
import type { RetainerStep } from '../../../kit/snapshots/types.ts';
import { firstLearnerStep } from '../../../kit/snapshots/words.ts';
import type { ProbeSample, Verdict, VerdictStatus } from '../../../kit/types.ts';
import { STATUS_LABEL } from '../../../kit/verdict/wording.ts';

export function text(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const signed = (n: number, unit = ''): string => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')}${unit}`;

/**
 * Gauge rows: the lab's own counters, labelled as its fixtures label them (the labels come with
 * each sample), then active timers, open sockets and the heap.
 */
export function gaugeRows(samples: Partial<Record<'learner' | 'solution', ProbeSample>>): string {
  const names = new Set<string>();
  const labels: Record<string, string> = {};
  for (const sample of Object.values(samples)) {
    for (const name of Object.keys(sample?.gauges ?? {})) names.add(name);
    Object.assign(labels, sample?.gaugeLabels ?? {});
  }
  const rows: [string, string, (s: ProbeSample) => string][] = [...names].map((name) => [
    name,
    labels[name] ?? name,
    (s) => (s.gauges[name] === undefined ? '–' : Number.isNaN(s.gauges[name]) ? 'error' : s.gauges[name]!.toLocaleString('en-US')),
  ]);
  rows.push(
    ['activeTimers', 'active timers', (s) => String(s.activeResources.Timeout ?? 0)],
    ['openSockets', 'open sockets', (s) => String(s.activeResources.TCPSocketWrap ?? 0)],
    ['heapUsed', 'heapUsed', (s) => formatBytes(s.heapUsed)],
    ['arrayBuffers', 'arrayBuffers', (s) => formatBytes(s.arrayBuffers)],
    ['heapLimit', 'heap limit', (s) => formatBytes(s.heapSizeLimit)],
  );
  // Two rows per gauge (its name, then the values) so the table fits in a narrow column beside the graph.
  return rows
    .map(
      ([key, label, read]) =>
        `<tr class="lab-panel__gauge-name"><th scope="rowgroup" colspan="2">${text(label)}</th></tr>` +
        `<tr data-gauge="${text(key)}"><td>${samples.learner ? text(read(samples.learner)) : '–'}</td><td>${samples.solution ? text(read(samples.solution)) : '–'}</td></tr>`,
    )
    .join('');
}

/** The badge of a verdict: the checker's own label, or the status in capitals for one added later. */
export function badge(status: string): string {
  return STATUS_LABEL[status as VerdictStatus] ?? status.toUpperCase();
}

/**
 * A reason as a learner reads it: the message without a stack trace (lines starting "at ...") and
 * without the noise Node adds around it.
 */
export function plainReason(reason: string): string {
  return reason
    .split('\n')
    .filter((line) => !/^\s+at\s/.test(line) && !/^\s*(Node\.js v\d|\^+\s*$)/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The checker's verdict as the terminal words it (kit/verdict/wording.ts writes the reasons), with
 * the exact counters as a table. A server that could not run was never measured: only why, and
 * what to do next.
 */
export function verdictHtml(verdict: Verdict, who: string): string {
  const head = `<p><span class="lab-panel__badge">${text(badge(verdict.status))}</span> — ${text(who)} (${text(verdict.entry)}), ${(verdict.durationMs / 1000).toFixed(1)} s</p>`;
  const reasons = `<ul>${verdict.reasons.map((r) => `<li>${text(plainReason(r))}</li>`).join('')}</ul>`;
  const next = verdict.status === 'pass' ? '' : `<p>Next: ${text(verdict.next)}</p>`;
  const measured = verdict.rounds.some((r) => r.measured);
  const mechanism =
    measured && verdict.mechanism.length
      ? `<table><thead><tr><th scope="col">Counter</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Per ${text(verdict.operation)}</th></tr></thead><tbody>${verdict.mechanism
          .map(
            (m) =>
              `<tr><td>${text(m.label)}${m.leaking ? ' ⚠' : ''}</td><td>${m.before.toLocaleString('en-US')}</td><td>${m.after.toLocaleString('en-US')}</td><td>${m.perOp.toFixed(3)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '';
  return `${head}${reasons}${mechanism}${next}`;
}

/** `sourceLink(line)` gives the URL of the analysed file's source view at that line. */
export function analysisHtml(a: ComparisonView, sourceLink: (line: number) => string): string {
  const table = `<table data-part="diff-table"><caption>Comparison by constructor: ${a.nearLimit ? 'the snapshot near the heap limit ' : ''}${text(a.later)} against the baseline ${text(a.baseline)}</caption>
    <thead><tr><th scope="col">Constructor</th><th scope="col"># New</th><th scope="col"># Deleted</th><th scope="col"># Delta</th><th scope="col">Size delta</th></tr></thead>
    <tbody>${a.rows
      .filter((r) => r.added !== 0 || r.deleted !== 0)
      .slice(0, 12)
      .map(
        (r) =>
          `<tr${a.top?.name === r.name ? ' data-top="true"' : ''}><td>${text(r.name)}</td><td>${r.added.toLocaleString('en-US')}</td><td>${r.deleted.toLocaleString('en-US')}</td><td>${signed(r.countDelta)}</td><td>${formatBytes(r.sizeDelta)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  if (!a.top) return `${table}<p>No constructor of the program gained objects between the two snapshots.</p>`;
  const item = (step: RetainerStep) =>
    `<li>${text(step.words)}${step.source ? ` — <a href="${text(sourceLink(step.source.line))}" target="_blank" rel="noopener">${text(step.source.file)}:${step.source.line}</a> <code>${text(step.source.text)}</code>` : ''}</li>`;
  // Node's and V8's own objects come first (module records, handles): fold them away so the
  // learner's part of the chain, from the scope holding their variable, is what they read.
  const path = a.path ?? [];
  const fold = firstLearnerStep(path);
  const folded = fold
    ? `<details><summary>${fold} steps inside Node and V8 lead from a GC root to this scope</summary><ol>${path.slice(0, fold).map(item).join('')}</ol></details>`
    : '';
  const steps = path.slice(fold).map(item).join('');
  return `${table}
    <p class="lab-panel__path"><strong>Top growing constructor: <span data-part="top-constructor">${text(a.top.name)}</span></strong>
      (${signed(a.top.countDelta)} objects, ${formatBytes(a.top.sizeDelta)} shallow). Why one new ${text(a.top.name)} is still alive, from a GC root:</p>
    ${steps ? `<div class="lab-panel__path">${folded}<ol start="${fold + 1}">${steps}</ol></div>` : '<p>No strong path from a root was found: it will go at the next GC.</p>'}
    ${a.pathLine ? `<p class="lab-panel__path">In one line: <code>${text(a.pathLine)}</code></p>` : ''}`;
}
