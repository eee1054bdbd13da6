/**
 * Turns what the hub sends (verdicts, snapshot comparisons, gauges) into HTML a learner reads.
 * Every value from the hub goes through `text()` so nothing it contains is taken as markup.
 */
import type { ProbeSample, Verdict } from '../../../kit/types.ts';

export function text(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function bytes(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (abs >= 100 * 1024 * 1024) return `${sign}${Math.round(abs / 1024 / 1024)} MiB`;
  if (abs >= 1024 * 1024) return `${sign}${(abs / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${sign}${(abs / 1024).toFixed(1)} KiB`;
  return `${sign}${Math.round(abs)} B`;
}

const signed = (n: number, unit = ''): string => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en')}${unit}`;

/** "request" → "requests", "price refresh" → "price refreshes". */
export function plural(noun: string, n: number): string {
  if (n === 1) return noun;
  return /(s|sh|ch|x)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** Gauge rows: the lab's own counters, then active timers, open sockets and the heap limit. */
export function gaugeRows(samples: Partial<Record<'learner' | 'solution', ProbeSample>>): string {
  const names = new Set<string>();
  for (const sample of Object.values(samples)) for (const name of Object.keys(sample?.gauges ?? {})) names.add(name);
  const LABELS: Record<string, string> = {
    busListeners: "bus 'update' listeners",
    connectedClients: 'connected clients',
    cacheSize: 'cache size',
    dbCalls: 'database calls',
    catalogLoads: 'price tables loaded',
  };
  const rows: [string, string, (s: ProbeSample) => string][] = [...names].map((name) => [
    name,
    LABELS[name] ?? name,
    (s) => (s.gauges[name] === undefined ? '–' : Number.isNaN(s.gauges[name]) ? 'error' : s.gauges[name]!.toLocaleString('en')),
  ]);
  rows.push(
    ['activeTimers', 'active timers', (s) => String(s.activeResources.Timeout ?? 0)],
    ['openSockets', 'open sockets', (s) => String(s.activeResources.TCPSocketWrap ?? 0)],
    ['heapUsed', 'heapUsed', (s) => bytes(s.heapUsed)],
    ['arrayBuffers', 'arrayBuffers', (s) => bytes(s.arrayBuffers)],
    ['heapLimit', 'heap limit', (s) => bytes(s.heapSizeLimit)],
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

const BADGE: Record<Verdict['status'], string> = { pass: 'PASS', leak: 'LEAK', broken: 'BROKEN', error: 'ERROR' };

/** The checker's verdict with its evidence, as the CLI prints it. */
export function verdictHtml(verdict: Verdict, who: string): string {
  const measured = verdict.rounds.filter((r) => r.measured);
  const mechanism = verdict.mechanism.length
    ? `<table><thead><tr><th scope="col">Signal</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Per ${text(verdict.operation)}</th></tr></thead><tbody>${verdict.mechanism
        .map(
          (m) =>
            `<tr><td>${text(m.label)}${m.leaking ? ' ⚠' : ''}</td><td>${m.before}</td><td>${m.after}</td><td>${m.perOp.toFixed(3)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const functional = verdict.functional.length
    ? `<ul class="lab-panel__functional">${verdict.functional
        .map((f) => `<li>${f.passed ? '✓' : '✗'} <strong>${text(f.name)}</strong>: ${text(f.detail)}</li>`)
        .join('')}</ul>`
    : '';
  return `
    <p><span class="lab-panel__badge">${BADGE[verdict.status]}</span> — ${text(who)} (${text(verdict.entry)}), ${(verdict.durationMs / 1000).toFixed(1)} s</p>
    <ul>${verdict.reasons.map((r) => `<li>${text(r)}</li>`).join('')}</ul>
    <p>Post-GC ${text(verdict.series)}: ${signed(Math.round(verdict.bytesPerOp))} B per ${text(verdict.operation)} over ${measured.length} measured rounds;
       growth ${bytes(verdict.growthBytes)} against a noise floor of ${bytes(verdict.noiseBytes)}.</p>
    ${mechanism}
    ${functional}
    ${verdict.status === 'pass' ? '' : `<p>Next: <code>${text(verdict.next)}</code></p>`}`;
}

/** Shapes of the hub's snapshot analysis (kit/snapshots SnapshotAnalysis + names). */
export interface AnalysisView {
  rows: { name: string; added: number; deleted: number; countDelta: number; sizeDelta: number; countAfter: number }[];
  top?: { name: string; countDelta: number; sizeDelta: number };
  path?: { words: string; edgeType: string; source?: { file: string; line: number; text: string } }[];
  pathLine?: string;
  baseline: string;
  later: string;
  variant: 'learner' | 'solution';
  /** True when `later` is the snapshot V8 wrote near the heap limit, just before the crash. */
  nearLimit?: boolean;
}

/** `sourceLink(line)` gives the URL of the analysed file's source view at that line. */
export function analysisHtml(a: AnalysisView, sourceLink: (line: number) => string): string {
  const table = `<table data-part="diff-table"><caption>Comparison by constructor: ${a.nearLimit ? 'the snapshot near the heap limit ' : ''}${text(a.later)} against the baseline ${text(a.baseline)}</caption>
    <thead><tr><th scope="col">Constructor</th><th scope="col"># New</th><th scope="col"># Deleted</th><th scope="col"># Delta</th><th scope="col">Size delta</th></tr></thead>
    <tbody>${a.rows
      .filter((r) => r.added !== 0 || r.deleted !== 0)
      .slice(0, 12)
      .map(
        (r) =>
          `<tr${a.top?.name === r.name ? ' data-top="true"' : ''}><td>${text(r.name)}</td><td>${r.added.toLocaleString('en')}</td><td>${r.deleted.toLocaleString('en')}</td><td>${signed(r.countDelta)}</td><td>${bytes(r.sizeDelta)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  if (!a.top) return `${table}<p>No constructor of the program gained objects between the two snapshots.</p>`;
  const item = (step: NonNullable<AnalysisView['path']>[number]) =>
    `<li>${text(step.words)}${step.source ? ` — <a href="${text(sourceLink(step.source.line))}" target="_blank" rel="noopener">${text(step.source.file)}:${step.source.line}</a> <code>${text(step.source.text)}</code>` : ''}</li>`;
  // Node's and V8's own objects come first (module records, handles): fold them away so the
  // learner's part of the chain, from the scope holding their variable, is what they read.
  const path = a.path ?? [];
  const firstNamed = path.findIndex((step) => step.edgeType === 'context' || step.edgeType === 'property');
  const fold = firstNamed > 3 ? firstNamed - 1 : 0;
  const folded = fold
    ? `<details><summary>${fold} steps inside Node and V8 lead from a GC root to this scope</summary><ol>${path.slice(0, fold).map(item).join('')}</ol></details>`
    : '';
  const steps = path.slice(fold).map(item).join('');
  return `${table}
    <p class="lab-panel__path"><strong>Top growing constructor: <span data-part="top-constructor">${text(a.top.name)}</span></strong>
      (${signed(a.top.countDelta)} objects, ${bytes(a.top.sizeDelta)} shallow). Why one new ${text(a.top.name)} is still alive, from a GC root:</p>
    ${steps ? `<div class="lab-panel__path">${folded}<ol start="${fold + 1}">${steps}</ol></div>` : '<p>No strong path from a root was found: it will go at the next GC.</p>'}
    ${a.pathLine ? `<p class="lab-panel__path">In one line: <code>${text(a.pathLine)}</code></p>` : ''}`;
}
