/**
 * Brings the lab panels of a page to life when the page is served by the hub: one socket.io
 * connection to the same origin, one controller per panel (a lab page has one, the dashboard four).
 * Without the hub, `/api/hub` does not answer as the hub and the panels keep their offline text.
 */
import { io, type Socket } from 'socket.io-client';
import type { GcEvent, ProbeSample, RoundRecord, Verdict } from '../../../kit/types.ts';
import { MemoryChart, type Variant } from './chart.ts';
import { analysisHtml, gaugeRows, plural, text, verdictHtml, type AnalysisView } from './render.ts';

interface HubInfo {
  hub: 'leaklab';
  loadSizes: number[];
  labs: HubLabInfo[];
}

/** A lab as /api/hub lists it; `crashRun` is set for a lab meant to be run until it dies (lab 07). */
interface HubLabInfo {
  id: string;
  title: string;
  operation: string;
  crashRun?: { heapMb: number; aboutSeconds: number };
}

/** "about a minute", "about 2 minutes": the expected length of a run until it dies. */
function aboutTime(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return minutes <= 1 ? 'about a minute' : `about ${minutes} minutes`;
}

interface SessionState {
  lab: string;
  variant: Variant;
  status: 'stopped' | 'starting' | 'running' | 'crashed';
  url?: string;
  pid?: number;
  file: string;
  reason?: string;
  exitReason?: string;
}

type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string };

const WHO: Record<Variant, string> = { learner: 'Your server', solution: 'The solution' };

export async function mountLabPanels(): Promise<void> {
  const panels = [...document.querySelectorAll<HTMLElement>('.lab-panel[data-lab]')];
  if (panels.length === 0) return;
  const info = await findHub();
  if (!info) return; // not served by the hub: the offline text stays
  const socket = io({ transports: ['websocket'] });
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

class PanelController {
  private readonly chart: MemoryChart;
  private readonly states: Partial<Record<Variant, SessionState>> = {};
  private readonly lastSample: Partial<Record<Variant, ProbeSample>> = {};
  private readonly busy = new Set<string>();
  private readonly pendingActions = new Set<string>();
  private note = '';
  private readonly compact: boolean;
  /** Per variant: the baseline snapshot's name and the last snapshot V8 wrote near the heap limit. */
  private readonly baselines: Partial<Record<Variant, string>> = {};
  private readonly nearLimit: Partial<Record<Variant, string>> = {};

  constructor(
    private readonly el: HTMLElement,
    private readonly socket: Socket,
    private readonly info: HubInfo,
    private readonly lab: HubLabInfo,
  ) {
    this.compact = el.dataset.compact === 'true';
    this.part('offline').hidden = true;
    this.part('live').hidden = false;
    this.el.dataset.hub = 'connected';
    this.chart = new MemoryChart(this.part('chart'));
    this.renderLoadButtons();
    this.el.addEventListener('click', (event) => this.onClick(event));
    this.listen();
    this.render();
  }

  private part<T extends HTMLElement = HTMLElement>(name: string): T {
    return this.el.querySelector<T>(`[data-part="${name}"]`)!;
  }

  private mine = (payload: { lab?: string }) => payload?.lab === this.lab.id;

  join(): void {
    this.note = '';
    this.socket.emit('lab:join', { lab: this.lab.id }, (answer: Answer) => {
      if (!answer.ok) return this.setStatusNote(answer.error);
      const state = answer.state as {
        sessions: SessionState[];
        history: { variant: Variant; samples: ProbeSample[]; gc: GcEvent[] }[];
        busy: string[];
        analysis: AnalysisView | null;
        snapshots: { name: string; bytes: number }[];
        baselines: Partial<Record<Variant, string | null>>;
        nearLimit?: Partial<Record<Variant, string | null>>;
      };
      for (const v of ['learner', 'solution'] as const) {
        if (state.baselines[v]) this.baselines[v] = state.baselines[v]!;
        if (state.nearLimit?.[v]) this.nearLimit[v] = state.nearLimit[v]!;
      }
      this.showNearLimit();
      for (const s of state.sessions) this.states[s.variant] = s;
      for (const h of state.history) {
        for (const sample of h.samples) this.onSample(h.variant, sample);
        this.onGc(h.variant, h.gc);
      }
      state.busy.forEach((kind) => this.busy.add(kind));
      if (state.analysis) this.showAnalysis(state.analysis);
      this.showDownloads(state.snapshots.map((s) => s.name));
      this.render();
    });
  }

  private listen(): void {
    const s = this.socket;
    s.on('lab:state', (state: SessionState) => {
      if (!this.mine(state)) return;
      this.states[state.variant] = state;
      this.render();
    });
    s.on('lab:sample', (p: { lab: string; variant: Variant; sample: ProbeSample }) => this.mine(p) && this.onSample(p.variant, p.sample));
    s.on('lab:gc', (p: { lab: string; variant: Variant; events: GcEvent[] }) => this.mine(p) && this.onGc(p.variant, p.events));
    s.on('lab:busy', (p: { lab: string; kind: string; busy: boolean }) => {
      if (!this.mine(p)) return;
      if (p.busy) this.busy.add(p.kind);
      else this.busy.delete(p.kind);
      if (p.kind === 'load' && !p.busy) this.part('progress').hidden = true;
      this.render();
    });
    s.on('lab:load-progress', (p: { lab: string; variant: Variant; done: number; total: number; untilCrash?: boolean; elapsedMs?: number; aboutSeconds?: number; snapshotWritten?: boolean }) => {
      if (!this.mine(p)) return;
      const box = this.part('progress');
      box.hidden = false;
      const bar = box.querySelector('progress')!;
      if (p.untilCrash) {
        // No total: the run ends when the process dies. The bar follows the expected time, and
        // stops short of full, since the end comes when V8 gives up, not at a count.
        const seconds = Math.round((p.elapsedMs ?? 0) / 1000);
        bar.value = Math.min(95, Math.round((100 * seconds) / (p.aboutSeconds ?? 60)));
        this.part('progress-text').textContent =
          `${WHO[p.variant]}: ${p.done.toLocaleString('en')} ${plural(this.lab.operation, p.done)} in ${seconds} s, running until it runs out of memory (${aboutTime(p.aboutSeconds ?? 60)} here)` +
          (p.snapshotWritten ? '. V8 has written its snapshot near the heap limit: now it collects garbage in vain until it gives up' : '');
        return;
      }
      bar.value = Math.round((100 * p.done) / p.total);
      this.part('progress-text').textContent = `${WHO[p.variant]}: ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} ${plural(this.lab.operation, p.total)}`;
    });
    if (this.compact) return;
    s.on('lab:check-start', (p: { lab: string; variant: Variant }) => {
      if (!this.mine(p)) return;
      const box = this.part('verdict');
      box.hidden = false;
      box.removeAttribute('data-status');
      box.innerHTML = `<p>Checking ${text(WHO[p.variant].toLowerCase())}: rounds of load, a forced GC after each; the rounds appear on the graph in green…</p>`;
    });
    s.on('lab:check-round', (p: { lab: string; round: RoundRecord }) => this.mine(p) && this.chart.addCheckRound(p.round.sample));
    s.on('lab:verdict', (p: { lab: string; variant: Variant; verdict: Verdict }) => {
      if (!this.mine(p)) return;
      const box = this.part('verdict');
      box.hidden = false;
      box.dataset.status = p.verdict.status;
      box.innerHTML = verdictHtml(p.verdict, WHO[p.variant]);
    });
    s.on('lab:analysis', (p: { lab: string; analysis: AnalysisView }) => this.mine(p) && this.showAnalysis(p.analysis));
    s.on('lab:snapshot', (p: { lab: string; variant: Variant; role: string; name: string }) => {
      if (!this.mine(p)) return;
      if (p.role === 'baseline') this.baselines[p.variant] = p.name;
      if (p.role === 'near-limit') this.nearLimit[p.variant] = p.name;
      this.showNearLimit();
      this.setStatusNote(p.role === 'near-limit' ? `V8 wrote a snapshot near the heap limit before the crash: ${p.name}` : `Snapshot written: ${p.name}`);
      this.refreshDownloads();
    });
  }

  /** Newest sample time per variant: a reconnect replays the hub's history, already on the graph. */
  private readonly newest: Record<Variant, number> = { learner: 0, solution: 0 };
  private readonly newestGc: Record<Variant, number> = { learner: 0, solution: 0 };

  private onGc(variant: Variant, events: GcEvent[]): void {
    const fresh = events.filter((e) => e.t > this.newestGc[variant]);
    if (fresh.length === 0) return;
    this.newestGc[variant] = Math.max(...fresh.map((e) => e.t));
    this.chart.addGcEvents(fresh);
  }

  private onSample(variant: Variant, sample: ProbeSample): void {
    if (sample.t <= this.newest[variant]) return;
    this.newest[variant] = sample.t;
    this.chart.addSample(variant, sample);
    this.lastSample[variant] = sample;
    this.part('gauges').querySelector('tbody')!.innerHTML = gaugeRows(this.lastSample);
    this.el.dataset.points = String(this.chart.pointCount());
    // Exposed for tests and for anyone reading the DOM: the latest post-GC heapUsed in MiB.
    if (sample.afterGc) this.el.dataset[`postGc${variant === 'learner' ? 'Learner' : 'Solution'}`] = (sample.heapUsed / 1024 / 1024).toFixed(3);
  }

  private renderLoadButtons(): void {
    const crash = this.lab.crashRun;
    this.part('load-buttons').innerHTML =
      this.info.loadSizes
        .map((n) => `<button type="button" data-action="load" data-count="${n}">${n.toLocaleString('en')} ${text(plural(this.lab.operation, n))}</button>`)
        .join('') +
      (crash
        ? ` <button type="button" data-action="run-to-crash" title="Drives the workload without pause until the server dies of its ${crash.heapMb} MB heap cap">Run until it dies (${aboutTime(crash.aboutSeconds)})</button>`
        : '');
  }

  /** The snapshot V8 wrote near the heap limit, with the button that compares it. */
  private showNearLimit(): void {
    const box = this.el.querySelector<HTMLElement>('[data-part="near-limit"]');
    if (!box) return;
    const variants = (['learner', 'solution'] as const).filter((v) => this.nearLimit[v]);
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
    const payload: Record<string, unknown> = { lab: this.lab.id, variant };
    if (action === 'load') payload.count = Number(button.dataset.count);
    if (action === 'compare-near-limit') this.setStatusNote('Comparing the snapshot near the heap limit (a large heap: this takes a few seconds)…');
    if (action === 'snapshot') {
      payload.role = button.dataset.role;
      payload.variant = this.part<HTMLSelectElement>('snapshot-variant').value;
      this.setStatusNote(payload.role === 'baseline' ? 'Writing the baseline snapshot…' : 'Writing the later snapshot and comparing…');
    }
    const key = `${action}:${variant}`;
    this.pendingActions.add(key);
    this.render();
    const answer = await new Promise<Answer>((resolve) => this.socket.emit(`lab:${action}`, payload, resolve));
    this.pendingActions.delete(key);
    if (!answer.ok) this.setStatusNote(`Could not ${action}: ${answer.error}`);
    else if (action === 'load') {
      const results = answer.results as { variant: Variant; done: number; error?: string }[];
      this.setStatusNote(
        results.map((r) => `${WHO[r.variant]}: ${r.done.toLocaleString('en')} ${plural(this.lab.operation, r.done)} done${r.error ? ` (${r.error})` : ''}`).join(' · '),
      );
    } else if (action === 'run-to-crash') {
      const results = answer.results as { variant: Variant; done: number; seconds: number; outcome: string; nearLimitSnapshot?: string }[];
      this.setStatusNote(
        results
          .map(
            (r) =>
              `${WHO[r.variant]}: ${r.outcome} after ${r.done.toLocaleString('en')} ${plural(this.lab.operation, r.done)} in ${r.seconds} s` +
              (r.nearLimitSnapshot ? '; V8 wrote a snapshot near the heap limit (below, under Heap snapshots)' : r.outcome === 'still running' ? ': it did not run out of memory' : ''),
          )
          .join(' · '),
      );
    } else if (action === 'gc') this.setStatusNote('Forced a full GC: the marked points are post-GC heapUsed.');
    this.render();
  }

  setStatusNote(note: string): void {
    this.note = note;
    this.render();
  }

  private render(): void {
    const parts = (['learner', 'solution'] as const).map((v) => {
      const s = this.states[v];
      if (!s) return `${WHO[v]}: stopped`;
      if (s.status === 'running') return `${WHO[v]}: running at ${s.url} (pid ${s.pid})`;
      if (s.status === 'crashed') return `${WHO[v]}: stopped (${s.exitReason ?? 'crashed'})`;
      return `${WHO[v]}: ${s.status}`;
    });
    this.part('status').textContent = [parts.join(' · '), this.note].filter(Boolean).join(' — ');

    const crashed = (['learner', 'solution'] as const).map((v) => this.states[v]).filter((s): s is SessionState => s?.status === 'crashed');
    const alert = this.part('crash');
    alert.hidden = crashed.length === 0;
    alert.innerHTML = crashed
      .map(
        (s) =>
          `<p><strong>${text(WHO[s.variant])} (${text(s.file)}) stopped: ${text(s.exitReason ?? 'crashed')}.</strong></p><p>${text(s.reason ?? '')}</p>` +
          `<p>The graph keeps its last points. <button type="button" data-action="start" data-variant="${s.variant}">Restart ${text(WHO[s.variant].toLowerCase())}</button></p>`,
      )
      .join('');
    this.el.dataset.learner = this.states.learner?.status ?? 'stopped';
    this.el.dataset.learnerPid = String(this.states.learner?.pid ?? '');
    this.el.dataset.solution = this.states.solution?.status ?? 'stopped';

    const running = (v: Variant) => this.states[v]?.status === 'running';
    const starting = (v: Variant) => this.states[v]?.status === 'starting';
    for (const button of this.el.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      const action = button.dataset.action!;
      const v = (button.dataset.variant ?? 'learner') as Variant;
      const pending = this.pendingActions.has(`${action}:${v}`);
      let enabled = !pending;
      if (action === 'start') enabled &&= !running(v) && !starting(v);
      if (action === 'stop') enabled &&= running(v) || this.states[v]?.status === 'crashed';
      if (action === 'compare') enabled &&= !(running('learner') && running('solution'));
      if (action === 'load' || action === 'run-to-crash') enabled &&= (running('learner') || running('solution')) && !this.busy.has('load');
      if (action === 'compare-near-limit') enabled &&= Boolean(this.nearLimit[v]) && !this.busy.has('snapshot');
      if (action === 'gc') enabled &&= running('learner') || running('solution');
      if (action === 'check') enabled &&= !this.busy.has('check');
      if (action === 'snapshot') enabled &&= (running('learner') || running('solution')) && !this.busy.has('snapshot');
      button.disabled = !enabled;
    }
  }

  private showAnalysis(analysis: AnalysisView): void {
    const box = this.part('analysis');
    box.innerHTML = analysisHtml(analysis, (line) => `/api/source/${encodeURIComponent(this.lab.id)}/${analysis.variant}#L${line}`);
    this.setStatusNote(analysis.top ? `The comparison names ${analysis.top.name} as the top growing constructor.` : 'Snapshots compared.');
  }

  private refreshDownloads(): void {
    this.socket.emit('lab:snapshots', { lab: this.lab.id }, (answer: Answer) => {
      if (answer.ok) this.showDownloads((answer.snapshots as { name: string }[]).map((s) => s.name));
    });
  }

  private showDownloads(names: string[]): void {
    const box = this.el.querySelector<HTMLElement>('[data-part="downloads"]');
    if (!box) return;
    box.innerHTML = names.length
      ? `Snapshot files (open them in Chrome DevTools → Memory → Load): ${names
          .map((n) => `<a href="/api/snapshots/${encodeURIComponent(n)}" download>${text(n)}</a>`)
          .join(', ')}`
      : '';
  }
}
