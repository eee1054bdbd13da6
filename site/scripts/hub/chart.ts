/**
 * The live memory graph of a lab panel (uPlot): heapUsed, heapTotal, external and rss of the
 * learner's server (solid, blues) and the solution (dashed, oranges), in MiB against wall-clock
 * time; post-GC heapUsed as marked points; the checker's rounds as their own series; GC events as
 * ticks on the time axis (tall red: full GC, short grey: minor). Only heapUsed is drawn at first so
 * the heap is readable (rss is several times larger); the legend switches the others on. A server
 * that restarts leaves a gap, not a line from the dead process to the new one. Holds a bounded
 * window of points.
 */
import uPlot from 'uplot';
import type { Variant } from '../../../hub/protocol.ts';
import type { GcEvent, ProbeSample } from '../../../kit/types.ts';

const MiB = 1024 * 1024;
const MAX_ROWS = 900;
const MAX_GC_MARKS = 3000;

const FIELDS = ['heapUsed', 'heapTotal', 'external', 'rss'] as const;
type Field = (typeof FIELDS)[number];

/** One colour family per server, so the two stay apart in compare mode even without the dashes. */
const COLORS: Record<Variant, Record<Field | 'postGc', string>> = {
  learner: { heapUsed: '#2563eb', heapTotal: '#60a5fa', external: '#0d9488', rss: '#7c3aed', postGc: '#facc15' },
  solution: { heapUsed: '#ea580c', heapTotal: '#fb923c', external: '#b45309', rss: '#db2777', postGc: '#f472b6' },
};

/** Column indexes in uPlot's data: 0 is time. */
const COLUMN = {
  learner: { heapUsed: 1, heapTotal: 2, external: 3, rss: 4, postGc: 9 },
  solution: { heapUsed: 5, heapTotal: 6, external: 7, rss: 8, postGc: 10 },
  check: 11,
} as const;
const COLUMNS = 12;

/** A shorter graph on a phone, so the load buttons under it fit on the same screen. */
const heightFor = (width: number) => (width < 500 ? 220 : 300);

/** A row of the graph: `undefined` is "no value here" (spanned), `null` a gap (a restart). */
type Row = (number | null | undefined)[];

interface GcMark {
  t: number; // seconds
  major: boolean;
}

export class MemoryChart {
  private readonly plot: uPlot;
  private rows: Row[] = [];
  /** Series already switched on once: after that the learner's legend clicks decide. */
  private readonly shownOnce = new Set<number>();
  /** Per server: the next sample starts a new line (the process restarted). */
  private readonly gapNext: Record<Variant, boolean> = { learner: false, solution: false };
  private gcMarks: GcMark[] = [];
  private readonly resize: ResizeObserver;
  private pending = false;

  constructor(container: HTMLElement) {
    const line = (label: string, color: string, dashed: boolean, show: boolean): uPlot.Series => ({
      label,
      stroke: color,
      width: 1.5,
      dash: dashed ? [6, 4] : undefined,
      spanGaps: false,
      show,
      points: { show: false },
      value: (u, v, si, idx) => this.legendValue(u, v, si, idx, 1),
    });
    // Marked points: a dark outline keeps them visible on the light and the dark theme alike.
    const marks = (label: string, color: string, show: boolean): uPlot.Series => ({
      label,
      stroke: color,
      fill: color,
      width: 0,
      paths: () => null,
      show,
      points: { show: true, size: 10, width: 1.5, stroke: '#1f2937', fill: color },
      value: (u, v, si, idx) => this.legendValue(u, v, si, idx, 2),
    });
    const series: uPlot.Series[] = [
      { label: 'time' },
      ...FIELDS.map((f) => line(`${f} (yours)`, COLORS.learner[f], false, false)),
      ...FIELDS.map((f) => line(`${f} (solution)`, COLORS.solution[f], true, false)),
      marks('post-GC heapUsed (yours)', COLORS.learner.postGc, false),
      marks('post-GC heapUsed (solution)', COLORS.solution.postGc, false),
      { ...marks('check rounds: post-GC', '#22c55e', false), paths: undefined, width: 1.5, spanGaps: true },
    ];
    const opts: uPlot.Options = {
      width: Math.max(280, container.clientWidth),
      height: heightFor(container.clientWidth),
      series,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(8, max * 1.1)] } },
      axes: [
        { stroke: '#9ca3af', grid: { stroke: 'rgba(156,163,175,0.15)' } },
        {
          label: 'MiB',
          stroke: '#9ca3af',
          grid: { stroke: 'rgba(156,163,175,0.15)' },
          values: (_u, ticks) => ticks.map((v) => `${v}`),
          size: 50,
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [(u) => this.drawGcMarks(u)] },
    };
    this.plot = new uPlot(opts, this.columns(), container);
    this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series').forEach((entry, i) => (entry.hidden = i > 0));
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: Math.max(280, container.clientWidth), height: heightFor(container.clientWidth) }));
    this.resize.observe(container);
  }

  /**
   * The legend shows the value under the cursor while hovering, and the latest value otherwise,
   * so the numbers beside the graph are live without touching it.
   */
  private legendValue(u: uPlot, v: number | null, seriesIdx: number, idx: number | null, digits: number): string {
    let value = v;
    if (idx == null) {
      const column = u.data[seriesIdx] ?? [];
      for (let i = column.length - 1; i >= 0 && value == null; i--) value = column[i] ?? null;
    }
    return value == null ? '–' : `${value.toFixed(digits)} MiB`;
  }

  /** A sample of one server; post-GC samples also become a marked point. */
  addSample(variant: Variant, sample: Pick<ProbeSample, 't' | 'afterGc' | Field>): void {
    const cols = COLUMN[variant];
    if (this.gapNext[variant]) {
      // A row of nulls just before the new process's first sample breaks its lines there.
      this.gapNext[variant] = false;
      const gap = this.emptyRow(sample.t / 1000 - 0.001);
      for (const field of FIELDS) gap[cols[field]] = null;
      this.insert(gap);
    }
    const row = this.emptyRow(sample.t / 1000);
    for (const field of FIELDS) row[cols[field]] = sample[field] / MiB;
    if (sample.afterGc) row[cols.postGc] = sample.heapUsed / MiB;
    this.showOnce(cols.heapUsed);
    if (sample.afterGc) this.showOnce(cols.postGc);
    this.insert(row);
  }

  /** The server stopped or died: its next sample comes from a new process, so its lines break. */
  breakLines(variant: Variant): void {
    if (this.rows.some((row) => row[COLUMN[variant].heapUsed] != null)) this.gapNext[variant] = true;
  }

  /** A round of the checker: its post-GC heapUsed (its own process, plotted on the same clock). */
  addCheckRound(sample: ProbeSample): void {
    const row = this.emptyRow(sample.t / 1000);
    row[COLUMN.check] = sample.heapUsed / MiB;
    this.showOnce(COLUMN.check);
    this.insert(row);
  }

  addGcEvents(events: readonly GcEvent[]): void {
    for (const event of events) this.gcMarks.push({ t: event.t / 1000, major: event.kind !== 'minor' });
    if (this.gcMarks.length > MAX_GC_MARKS) this.gcMarks.splice(0, this.gcMarks.length - MAX_GC_MARKS);
    this.redraw();
  }

  /** How many points are plotted for a series (for tests and the status line). */
  pointCount(): number {
    return this.rows.length;
  }

  private emptyRow(t: number): Row {
    const row: Row = new Array(COLUMNS).fill(undefined);
    row[0] = t;
    return row;
  }

  /** Switch a series on the first time it has data; later the learner's legend clicks decide. */
  private showOnce(column: number): void {
    if (this.shownOnce.has(column)) return;
    this.shownOnce.add(column);
    if (!this.plot.series[column]!.show) this.plot.setSeries(column, { show: true });
  }

  /** Legend entries of series that never had data stay out of sight (the solution before it runs). */
  private readonly withData = new Set<number>();

  private insert(row: Row): void {
    row.forEach((value, column) => {
      if (column === 0 || value == null || this.withData.has(column)) return;
      this.withData.add(column);
      const entry = this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series')[column];
      if (entry) entry.hidden = false;
    });
    // Samples from two processes interleave; keep time ascending as uPlot requires.
    let at = this.rows.length;
    while (at > 0 && (this.rows[at - 1]![0] as number) > (row[0] as number)) at--;
    this.rows.splice(at, 0, row);
    if (this.rows.length > MAX_ROWS) this.rows.splice(0, this.rows.length - MAX_ROWS);
    this.redraw();
  }

  /** Coalesce redraws to one per animation frame. */
  private redraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData(this.columns());
    });
  }

  private columns(): uPlot.AlignedData {
    const data: Row[] = Array.from({ length: COLUMNS }, () => new Array(this.rows.length));
    this.rows.forEach((row, r) => row.forEach((value, c) => (data[c]![r] = value)));
    return data as uPlot.AlignedData;
  }

  private drawGcMarks(u: uPlot): void {
    const { ctx } = u;
    const bottom = u.bbox.top + u.bbox.height;
    const [min, max] = [u.scales.x.min ?? 0, u.scales.x.max ?? 0];
    ctx.save();
    for (const mark of this.gcMarks) {
      if (mark.t < min || mark.t > max) continue;
      const x = Math.round(u.valToPos(mark.t, 'x', true));
      ctx.fillStyle = mark.major ? '#dc2626' : 'rgba(156,163,175,0.7)';
      const h = (mark.major ? 14 : 6) * devicePixelRatio;
      ctx.fillRect(x, bottom - h, Math.max(1, devicePixelRatio * (mark.major ? 2 : 1)), h);
    }
    ctx.restore();
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }
}
