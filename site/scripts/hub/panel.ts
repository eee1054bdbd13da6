/**
 * Brings the lab panels of a page to life when the page is served by the hub: one socket.io
 * connection to the same origin, one controller per panel (a lab page has one, the dashboard one
 * per lab). Without the hub, `/api/hub` does not answer as the hub and the panels keep their
 * offline text. Every event and answer is typed by hub/protocol.ts, shared with the hub.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Answer,
  ClientEvents,
  ComparisonView,
  HubInfo,
  HubLabInfo,
  Job,
  LabState,
  LastCheckView,
  LoadProgress,
  ReplyOf,
  ServerEvents,
  SessionState,
  Variant,
} from '../../../hub/protocol.ts';
import { count, plural } from '../../../kit/format.ts';
import type { GcEvent, ProbeSample } from '../../../kit/types.ts';
import { MemoryChart } from './chart.ts';
import { analysisHtml, badge, gaugeRows, plainReason, text, verdictHtml } from './render.ts';

type HubSocket = Socket<ServerEvents, ClientEvents>;

const VARIANTS = ['learner', 'solution'] as const;
const WHO: Record<Variant, string> = { learner: 'Your server', solution: 'The solution' };
const JOB_WORDS: Record<Job['kind'], string> = { load: 'Driving load', check: 'Checking', snapshot: 'Snapshot' };

/** 204,221 → 204,000: a measured count as a learner reads an estimate. */
function roundOps(n: number): number {
  return n >= 10_000 ? Math.round(n / 1000) * 1000 : n;
}

export async function mountLabPanels(): Promise<void> {
  const panels = [...document.querySelectorAll<HTMLElement>('.lab-panel[data-lab]')];
  if (panels.length === 0) return;
  const info = await findHub();
  if (!info) return; // not served by the hub: the offline text stays
  const socket: HubSocket = io({ transports: ['websocket'] });
  const controllers = panels.flatMap((el) => {
    const lab = info.labs.find((l) => l.id === el.dataset.lab);
    return lab ? [new PanelController(el, socket, info, lab)] : [];
  });
  socket.on('connect', () => controllers.forEach((c) => c.join()));
  socket.on('disconnect', () => controllers.forEach((c) => c.setStatusNote('Lost the connection to the hub: is `npm start` still running? Reconnecting…')));
}

async function findHub(): Promise<HubInfo | undefined> {
  try {
    const response = await fetch('/api/hub', { headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    const body = (await response.json()) as HubInfo;
    return body.hub === 'leaklab' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Ask the hub and wait for its answer (typed by the event). */
function ask<E extends keyof ClientEvents>(socket: HubSocket, event: E, request: Parameters<ClientEvents[E]>[0]): Promise<Answer<ReplyOf<E>>> {
  return new Promise((resolve) => {
    // socket.io's emit types a union of events poorly: the event map above is what holds it to shape.
    (socket.emit as (event: E, request: unknown, ack: (answer: Answer<ReplyOf<E>>) => void) => void)(event, request, resolve);
  });
}

class PanelController {
  private readonly chart: MemoryChart;
  private readonly states: Partial<Record<Variant, SessionState>> = {};
  private readonly lastSample: Partial<Record<Variant, ProbeSample>> = {};
  private job: Job | null = null;
  private readonly pendingActions = new Set<string>();
  private note = '';
  /** Per variant: the baseline snapshot's name and the last snapshot V8 wrote near the heap limit. */
  private readonly baselines: Partial<Record<Variant, string>> = {};
  private readonly nearLimit: Partial<Record<Variant, string>> = {};
  /** Newest sample time per variant: a reconnect replays the hub's history, already on the graph. */
  private readonly newest: Record<Variant, number> = { learner: 0, solution: 0 };
  private readonly newestGc: Record<Variant, number> = { learner: 0, solution: 0 };

  constructor(
    private readonly el: HTMLElement,
    private readonly socket: HubSocket,
    private readonly info: HubInfo,
    private readonly lab: HubLabInfo,
  ) {
    this.part('offline').hidden = true;
    this.part('live').hidden = false;
    this.el.dataset.hub = 'connected';
    this.chart = new MemoryChart(this.part('chart'));
    this.renderLoadButtons();
    this.el.addEventListener('click', (event) => void this.onClick(event));
    this.listen();
    this.render();
  }

  /** A part of the panel; the compact panel (dashboard) lacks some, hence optional. */
  private optionalPart<T extends HTMLElement = HTMLElement>(name: string): T | null {
    return this.el.querySelector<T>(`[data-part="${name}"]`);
  }

  private part<T extends HTMLElement = HTMLElement>(name: string): T {
    const found = this.optionalPart<T>(name);
    if (!found) throw new Error(`the lab panel has no [data-part="${name}"]`);
    return found;
  }

  private mine = (payload: { lab?: string }) => payload?.lab === this.lab.id;

  join(): void {
    this.note = '';
    void ask(this.socket, 'lab:join', { lab: this.lab.id }).then((answer) => {
      if (!answer.ok) return this.setStatusNote(answer.error);
      this.restore(answer.state);
    });
  }

  /** Draw everything the hub remembers about the lab (a reload or a reconnect). */
  private restore(state: LabState): void {
    for (const v of VARIANTS) {
      if (state.baselines[v]) this.baselines[v] = state.baselines[v]!;
      if (state.nearLimit[v]) this.nearLimit[v] = state.nearLimit[v]!;
    }
    this.showNearLimit();
    for (const s of state.sessions) this.states[s.variant] = s;
    for (const h of state.history) {
      const c = h.samples;
      c.t.forEach((t, i) =>
        this.onSample(h.variant, {
          t,
          afterGc: c.afterGc[i]!,
          heapUsed: c.heapUsed[i]!,
          heapTotal: c.heapTotal[i]!,
          external: c.external[i]!,
          rss: c.rss[i]!,
        }),
      );
      if (h.latest) this.showGauges(h.variant, h.latest);
      this.onGc(h.variant, h.gc);
    }
    this.job = state.job;
    const filePath = this.optionalPart('file-path');
    if (filePath) filePath.textContent = state.file;
    // Set here, not in the static page: the source view exists only when the hub serves the page.
    this.optionalPart<HTMLAnchorElement>('view-file')?.setAttribute('href', `/api/source/${encodeURIComponent(this.lab.id)}/learner`);
    this.showHints(state.hints, state.hintCount);
    this.showLastCheck(state.lastCheck);
    this.showTunables(state.tunables);
    if (state.verdict) this.showVerdict(state.verdict.variant, state.verdict.verdict);
    if (state.analysis) this.showAnalysis(state.analysis);
    this.showDownloads(state.snapshots.map((s) => s.name));
    this.render();
  }

  private listen(): void {
    const s = this.socket;
    s.on('lab:state', (state) => {
      if (!this.mine(state)) return;
      if (state.status !== 'running') this.chart.breakLines(state.variant);
      this.states[state.variant] = state;
      this.render();
    });
    s.on('lab:sample', (p) => {
      if (!this.mine(p)) return;
      this.onSample(p.variant, p.sample);
      this.showGauges(p.variant, p.sample);
    });
    s.on('lab:gc', (p) => this.mine(p) && this.onGc(p.variant, p.events));
    s.on('lab:job', (p) => {
      if (!this.mine(p)) return;
      const was = this.job;
      this.job = p.job;
      if (p.job?.stage) this.showProgress(`${JOB_WORDS[p.job.kind]}: ${p.job.stage}…`, p.job.fraction);
      else if (!p.job && was) this.part('progress').hidden = true;
      this.render();
    });
    s.on('lab:load-progress', (p) => this.mine(p) && this.onLoadProgress(p));
    s.on('lab:snapshot', (p) => {
      if (!this.mine(p)) return;
      if (p.role === 'baseline') this.baselines[p.variant] = p.name;
      if (p.role === 'near-limit') this.nearLimit[p.variant] = p.name;
      this.showNearLimit();
      this.setStatusNote(p.role === 'near-limit' ? `V8 wrote a snapshot near the heap limit before the crash: ${p.name}` : `Snapshot written: ${p.name}`);
      this.refreshDownloads();
    });
    s.on('lab:analysis', (p) => this.mine(p) && this.showAnalysis(p.analysis));
    s.on('lab:check-round', (p) => this.mine(p) && this.chart.addCheckRound(p.round.sample));
    s.on('lab:check-start', (p) => {
      const box = this.optionalPart('verdict');
      if (!this.mine(p) || !box) return;
      box.hidden = false;
      box.removeAttribute('data-status');
      box.innerHTML = `<p>Checking ${text(WHO[p.variant].toLowerCase())}: rounds of load, a forced GC after each; the rounds appear on the graph in green…</p>`;
    });
    s.on('lab:verdict', (p) => this.mine(p) && this.showVerdict(p.variant, p.verdict));
    s.on('lab:last-check', (p) => this.mine(p) && this.showLastCheck(p.lastCheck));
    s.on('lab:hints', (p) => this.mine(p) && this.showHints(p.hints, p.total));
  }

  private showVerdict(variant: Variant, verdict: Parameters<typeof verdictHtml>[0]): void {
    const box = this.optionalPart('verdict');
    if (!box) return;
    box.hidden = false;
    box.dataset.status = verdict.status;
    box.innerHTML = verdictHtml(verdict, WHO[variant]);
  }

  /** The learner's last check, from the progress store the terminal shares (it survives restarts). */
  private showLastCheck(last: LastCheckView | null): void {
    const line = this.part('last-check');
    line.hidden = !last;
    if (!last) {
      line.removeAttribute('data-status');
      return;
    }
    line.dataset.status = last.status;
    const when = new Date(last.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    line.textContent = `Your last check: ${badge(last.status)} (${when})${last.status === 'pass' ? ': fixed.' : '.'}`;
  }

  private showHints(hints: string[], total: number): void {
    const list = this.optionalPart('hints');
    if (!list) return;
    list.hidden = hints.length === 0;
    list.innerHTML = hints.map((hint) => `<li>${text(hint)}</li>`).join('');
    const button = this.el.querySelector<HTMLButtonElement>('button[data-action="hint"]');
    if (button) {
      button.textContent = hints.length === 0 ? 'Show a hint' : hints.length < total ? `Next hint (${hints.length} of ${total} shown)` : `All ${total} hints shown`;
      button.dataset.exhausted = String(hints.length >= total);
    }
  }

  /** The settings the live servers run with, and exactly what the checker runs with instead if it differs. */
  private showTunables(tunables: LabState['tunables']): void {
    const line = this.part('tunables');
    const list = (settings: Record<string, string>) =>
      Object.entries(settings)
        .map(([name, value]) => `<code title="${text(tunables.about[name] ?? '')}">${text(name)}=${text(value)}</code>`)
        .join(', ');
    const same = JSON.stringify(tunables.live) === JSON.stringify(tunables.check);
    const checkList = list(tunables.check);
    line.hidden = checkList === '';
    line.innerHTML = checkList === ''
      ? ''
      : same
        ? `Both servers run with the checker's settings, so what you watch is what is judged: ${checkList}.`
        : `These servers run with ${list(tunables.live) || 'the settings as shipped'}; the checker runs with ${checkList}, so its rounds are not what you watch here.`;
  }

  private onGc(variant: Variant, events: GcEvent[]): void {
    const fresh = events.filter((e) => e.t > this.newestGc[variant]);
    if (fresh.length === 0) return;
    this.newestGc[variant] = Math.max(...fresh.map((e) => e.t));
    this.chart.addGcEvents(fresh);
  }

  private onSample(variant: Variant, sample: Parameters<MemoryChart['addSample']>[1]): void {
    if (sample.t <= this.newest[variant]) return;
    this.newest[variant] = sample.t;
    this.chart.addSample(variant, sample);
    this.el.dataset.points = String(this.chart.pointCount());
    // Exposed for tests and for anyone reading the DOM: the latest post-GC heapUsed in MiB.
    if (sample.afterGc) this.el.dataset[`postGc${variant === 'learner' ? 'Learner' : 'Solution'}`] = (sample.heapUsed / 1024 / 1024).toFixed(3);
  }

  private showGauges(variant: Variant, sample: ProbeSample): void {
    this.lastSample[variant] = sample;
    this.part('gauges').querySelector('tbody')!.innerHTML = gaugeRows(this.lastSample);
  }

  private showProgress(words: string, fraction?: number): void {
    const box = this.part('progress');
    box.hidden = false;
    const bar = box.querySelector('progress')!;
    if (fraction === undefined) bar.removeAttribute('value');
    else bar.value = Math.round(100 * fraction);
    this.part('progress-text').textContent = words;
  }

  private onLoadProgress(p: LoadProgress): void {
    if (p.untilCrash) {
      // No total: the run ends when the process dies. The bar follows what the leak needed on
      // this Node line when measured, and stops short of full, since the end comes when V8 gives
      // up, not at a count.
      const seconds = Math.round((p.elapsedMs ?? 0) / 1000);
      const crash = this.lab.crashRun;
      const about = p.aboutOps ?? crash?.aboutOps ?? 0;
      this.showProgress(
        `${WHO[p.variant]}: ${count(p.done, this.lab.operation)} in ${seconds} s, running until it runs out of memory` +
          (about > 0 ? ` (measured on ${crash?.nodeLine ?? 'this Node'}: dead by about ${count(roundOps(about), this.lab.operation)})` : '') +
          (p.snapshotWritten ? '. V8 has written its snapshot near the heap limit: now it collects garbage in vain until it gives up' : ''),
        about > 0 ? Math.min(0.95, p.done / about) : 0,
      );
      return;
    }
    this.showProgress(`${WHO[p.variant]}: ${p.done.toLocaleString('en-US')} of ${count(p.total, this.lab.operation)}`, p.done / p.total);
  }

  /** Short buttons ("500") under one label naming the unit, so they fit beside the graph on a phone. */
  private renderLoadButtons(): void {
    const crash = this.lab.crashRun;
    const label = this.optionalPart('load-label');
    if (label) label.textContent = `Drive load (${plural(this.lab.operation, 2)}):`;
    this.part('load-buttons').innerHTML =
      this.info.loadSizes
        .map((n) => `<button type="button" data-action="load" data-count="${n}" aria-label="${text(count(n, this.lab.operation))}">${n.toLocaleString('en-US')}</button>`)
        .join('') +
      (crash
        ? ` <button type="button" data-action="run-to-crash" title="Drives the workload without pause until the server dies of its ${crash.heapMb} MiB heap cap">Run until it dies (up to about ${text(count(roundOps(crash.aboutOps), this.lab.operation))})</button>`
        : '');
  }

  /** The snapshot V8 wrote near the heap limit, with the button that compares it. */
  private showNearLimit(): void {
    const box = this.optionalPart('near-limit');
    if (!box) return;
    const variants = VARIANTS.filter((v) => this.nearLimit[v]);
    box.hidden = variants.length === 0;
    box.innerHTML = variants
      .map((v) => {
        const name = this.nearLimit[v]!;
        const baseline = this.baselines[v];
        const against = baseline
          ? `It is compared with your baseline, ${text(baseline)}.`
          : 'You took no baseline: the hub restarts the server and compares with a snapshot of the fresh process.';
        return (
          `<p><strong>${text(WHO[v])}: snapshot near the heap limit</strong> — <a href="/api/snapshots/${encodeURIComponent(name)}" download>${text(name)}</a>, written by V8 just before the crash. ${against}</p>` +
          `<p><button type="button" data-action="compare-near-limit" data-variant="${v}">${baseline ? 'Compare it with your baseline' : 'Compare it with a fresh restart'}</button></p>`
        );
      })
      .join('');
    this.render();
  }

  private async onClick(event: MouseEvent): Promise<void> {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action!;
    const variant = (button.dataset.variant ?? 'learner') as Variant;
    const key = `${action}:${variant}`;
    this.pendingActions.add(key);
    this.render();
    const note = await this.perform(action, variant, button);
    this.pendingActions.delete(key);
    if (note) this.setStatusNote(note);
    this.render();
  }

  /** Do what a button says; answers the status line to show. */
  private async perform(action: string, variant: Variant, button: HTMLButtonElement): Promise<string | undefined> {
    const lab = this.lab.id;
    const failed = (answer: { ok: false; error: string }) => `Could not ${action.replace(/-/g, ' ')}: ${answer.error}`;
    switch (action) {
      case 'start':
      case 'stop': {
        const answer = await ask(this.socket, action === 'start' ? 'lab:start' : 'lab:stop', { lab, variant });
        return answer.ok ? undefined : failed(answer);
      }
      case 'restart': {
        const answer = await ask(this.socket, 'lab:restart', { lab, variant });
        return answer.ok ? 'Restarted with your file as it is now.' : failed(answer);
      }
      case 'hint': {
        const answer = await ask(this.socket, 'lab:hint', { lab });
        return answer.ok ? undefined : failed(answer);
      }
      case 'reset': {
        const file = this.optionalPart('file-path')?.textContent ?? 'your file';
        if (!window.confirm(`Put ${file} back as shipped? Your version is kept in output/backups/.`)) return undefined;
        const answer = await ask(this.socket, 'lab:reset', { lab });
        if (!answer.ok) return failed(answer);
        const { reset } = answer;
        return reset.unchanged ? `${reset.file} is already as shipped: nothing to reset.` : `${reset.file} is back as shipped${reset.backup ? `; your version is saved as ${reset.backup}` : ''}.`;
      }
      case 'compare': {
        const answer = await ask(this.socket, 'lab:compare', { lab });
        return answer.ok ? undefined : failed(answer);
      }
      case 'gc': {
        const answer = await ask(this.socket, 'lab:gc', { lab });
        return answer.ok ? 'Forced a full GC: the marked points are post-GC heapUsed.' : failed(answer);
      }
      case 'load': {
        const answer = await ask(this.socket, 'lab:load', { lab, count: Number(button.dataset.count) });
        if (!answer.ok) return failed(answer);
        return answer.results.map((r) => `${WHO[r.variant]}: ${count(r.done, this.lab.operation)} done${r.error ? ` (${r.error})` : ''}`).join(' · ');
      }
      case 'run-to-crash': {
        const answer = await ask(this.socket, 'lab:run-to-crash', { lab });
        if (!answer.ok) return failed(answer);
        return answer.results
          .map(
            (r) =>
              `${WHO[r.variant]}: ${r.outcome} after ${count(r.done, this.lab.operation)} in ${r.seconds} s` +
              (r.nearLimitSnapshot ? '; V8 wrote a snapshot near the heap limit (below, under Heap snapshots)' : r.outcome === 'still running' ? ': it did not run out of memory' : ''),
          )
          .join(' · ');
      }
      case 'check': {
        const answer = await ask(this.socket, 'lab:check', { lab, variant });
        return answer.ok ? undefined : failed(answer);
      }
      case 'snapshot': {
        const role = button.dataset.role === 'later' ? 'later' : 'baseline';
        const chosen = this.part<HTMLSelectElement>('snapshot-variant').value === 'solution' ? 'solution' : 'learner';
        this.setStatusNote(role === 'baseline' ? 'Writing the baseline snapshot…' : 'Writing the later snapshot and comparing…');
        const answer = await ask(this.socket, 'lab:snapshot', { lab, variant: chosen, role });
        return answer.ok ? undefined : failed(answer);
      }
      case 'compare-near-limit': {
        this.setStatusNote('Comparing the snapshot near the heap limit…');
        const answer = await ask(this.socket, 'lab:compare-near-limit', { lab, variant });
        return answer.ok ? undefined : failed(answer);
      }
      default:
        return undefined;
    }
  }

  setStatusNote(note: string): void {
    this.note = note;
    this.render();
  }

  private render(): void {
    const parts = VARIANTS.map((v) => {
      const s = this.states[v];
      if (!s) return `${WHO[v]}: stopped`;
      if (s.status === 'running') return `${WHO[v]}: running at ${s.url} (pid ${s.pid})`;
      if (s.status === 'crashed') return `${WHO[v]}: stopped (${s.exitReason ?? 'crashed'})`;
      return `${WHO[v]}: ${s.status}`;
    });
    this.part('status').textContent = [parts.join(' · '), this.note].filter(Boolean).join(' — ');

    const learner = this.states.learner;
    const stale = this.part('stale');
    stale.hidden = !(learner?.stale && learner.status === 'running');
    stale.innerHTML = stale.hidden
      ? ''
      : `<p><strong>Your file changed since your server started:</strong> it still runs the old code. ` +
        `<button type="button" data-action="restart" data-variant="learner">Restart with my changes</button></p>`;
    this.el.dataset.stale = String(!stale.hidden);

    const crashed = VARIANTS.map((v) => this.states[v]).filter((s): s is SessionState => s?.status === 'crashed');
    const alert = this.part('crash');
    alert.hidden = crashed.length === 0;
    alert.innerHTML = crashed
      .map(
        (s) =>
          `<p><strong>${text(WHO[s.variant])} (${text(s.file)}) stopped: ${text(s.exitReason ?? 'crashed')}.</strong></p><p>${text(plainReason(s.reason ?? ''))}</p>` +
          `<p>The graph keeps its last points. <button type="button" data-action="start" data-variant="${s.variant}">Restart ${text(WHO[s.variant].toLowerCase())}</button></p>`,
      )
      .join('');
    this.el.dataset.learner = this.states.learner?.status ?? 'stopped';
    this.el.dataset.learnerPid = String(this.states.learner?.pid ?? '');
    this.el.dataset.solution = this.states.solution?.status ?? 'stopped';
    this.el.dataset.job = this.job?.kind ?? '';

    const running = (v: Variant) => this.states[v]?.status === 'running';
    const starting = (v: Variant) => this.states[v]?.status === 'starting';
    const anyRunning = running('learner') || running('solution');
    for (const button of this.el.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const action = button.dataset.action!;
      const v = (button.dataset.variant ?? 'learner') as Variant;
      let enabled = !this.pendingActions.has(`${action}:${v}`);
      if (action === 'start') enabled &&= !running(v) && !starting(v);
      if (action === 'stop') enabled &&= running(v) || this.states[v]?.status === 'crashed';
      if (action === 'compare') enabled &&= !(running('learner') && running('solution'));
      // One job at a time per lab: load, check and snapshots wait for the one running.
      if (action === 'load' || action === 'run-to-crash') enabled &&= anyRunning && !this.job;
      if (action === 'compare-near-limit') enabled &&= Boolean(this.nearLimit[v]) && !this.job;
      if (action === 'gc') enabled &&= anyRunning;
      if (action === 'check') enabled &&= !this.job;
      if (action === 'reset') enabled &&= this.job?.kind !== 'check';
      if (action === 'snapshot') enabled &&= anyRunning && !this.job;
      button.disabled = !enabled;
    }
  }

  private showAnalysis(analysis: ComparisonView): void {
    const box = this.optionalPart('analysis');
    if (!box) return; // the dashboard's compact panel shows no comparison
    box.innerHTML = analysisHtml(analysis, (line) => `/api/source/${encodeURIComponent(this.lab.id)}/${analysis.variant}#L${line}`);
    this.setStatusNote(analysis.top ? `The comparison names ${analysis.top.name} as the top growing constructor.` : 'Snapshots compared.');
  }

  private refreshDownloads(): void {
    void ask(this.socket, 'lab:snapshots', { lab: this.lab.id }).then((answer) => {
      if (answer.ok) this.showDownloads(answer.snapshots.map((s) => s.name));
    });
  }

  private showDownloads(names: string[]): void {
    const box = this.optionalPart('downloads');
    if (!box) return;
    box.innerHTML = names.length
      ? `Snapshot files (open them in Chrome DevTools → Memory → Load): ${names
          .map((n) => `<a href="/api/snapshots/${encodeURIComponent(n)}" download>${text(n)}</a>`)
          .join(', ')}`
      : '';
  }
}

