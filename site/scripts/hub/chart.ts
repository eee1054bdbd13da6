/**
 * The live memory graph of a lab panel (uPlot): heapUsed, heapTotal, external and rss of the
 * learner's server (solid) and the solution (dashed), in MiB against wall-clock time; post-GC
 * heapUsed as marked points; the checker's rounds as their own series; GC events as ticks on the
 * time axis (tall red: full GC, short grey: minor). Holds a bounded window of points.
 */
import uPlot from 'uplot';
import type { GcEvent, ProbeSample } from '../../../kit/types.ts';

export type Variant = 'learner' | 'solution';

const MiB = 1024 * 1024;
const MAX_ROWS = 900;
const MAX_GC_MARKS = 3000;

const COLORS = { heapUsed: '#3b82f6', heapTotal: '#14b8a6', external: '#f59e0b', rss: '#a855f7' } as const;
const FIELDS = ['heapUsed', 'heapTotal', 'external', 'rss'] as const;

/** Column indexes in uPlot's data: 0 is time. */
const COLUMN = {
  learner: { heapUsed: 1, heapTotal: 2, external: 3, rss: 4, postGc: 9 },
  solution: { heapUsed: 5, heapTotal: 6, external: 7, rss: 8, postGc: 10 },
  check: 11,
} as const;
const COLUMNS = 12;

interface GcMark {
  t: number; // seconds
  major: boolean;
}

export class MemoryChart {
  private readonly plot: uPlot;
  private rows: (number | null)[][] = [];
  private gcMarks: GcMark[] = [];
  private readonly resize: ResizeObserver;
  private pending = false;

  constructor(container: HTMLElement) {
    const line = (label: string, color: string, dashed: boolean, show: boolean): uPlot.Series => ({
      label,
      stroke: color,
      width: 1.5,
      dash: dashed ? [6, 4] : undefined,
      spanGaps: true,
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
      ...FIELDS.map((f) => line(`${f} (yours)`, COLORS[f], false, true)),
      ...FIELDS.map((f) => line(`${f} (solution)`, COLORS[f], true, false)),
      marks('post-GC heapUsed (yours)', '#facc15', true),
      marks('post-GC heapUsed (solution)', '#f472b6', false),
      { ...marks('check rounds: post-GC', '#22c55e', false), paths: undefined, width: 1.5, spanGaps: true },
    ];
    const opts: uPlot.Options = {
      width: Math.max(320, container.clientWidth),
      height: 300,
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
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: Math.max(320, container.clientWidth), height: 300 }));
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
  addSample(variant: Variant, sample: ProbeSample): void {
    const row = this.emptyRow(sample.t / 1000);
    const cols = COLUMN[variant];
    for (const field of FIELDS) row[cols[field]] = sample[field] / MiB;
    if (sample.afterGc) row[cols.postGc] = sample.heapUsed / MiB;
    this.show(cols.heapUsed, FIELDS.length);
    if (sample.afterGc) this.show(cols.postGc, 1);
    this.insert(row);
  }

  /** A round of the checker: its post-GC heapUsed (its own process, plotted on the same clock). */
  addCheckRound(sample: ProbeSample): void {
    const row = this.emptyRow(sample.t / 1000);
    row[COLUMN.check] = sample.heapUsed / MiB;
    this.show(COLUMN.check, 1);
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

  private emptyRow(t: number): (number | null)[] {
    const row: (number | null)[] = new Array(COLUMNS).fill(null);
    row[0] = t;
    return row;
  }

  private show(first: number, count: number): void {
    for (let i = first; i < first + count; i++) if (!this.plot.series[i]!.show) this.plot.setSeries(i, { show: true });
  }

  private insert(row: (number | null)[]): void {
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
    const data: (number | null)[][] = Array.from({ length: COLUMNS }, () => new Array(this.rows.length));
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
