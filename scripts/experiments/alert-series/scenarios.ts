/**
 * The situations the memory alert rules are tested against, each recorded from a real process
 * (service.ts) on a real Node line, and what each rule must do in it. record.ts turns them into
 * ops/prometheus/leaklab-alerts.recorded.test.yml; test/ops/promtool.test.ts runs promtool on it and
 * breaks each rule on purpose to show that a named scenario then fails.
 */
import type { Plan } from './service.ts';

/** The memory alert rules, as named in ops/prometheus/leaklab-alerts.yml. */
export const ALERTS = ['HeapNearLimit', 'HeapPostGcGrowth', 'OffHeapMemoryGrowth', 'HeapLimitMetricMissing'] as const;
export type AlertName = (typeof ALERTS)[number];

export interface Scenario {
  /** The scenario's name in the promtool file (breakages in promtool.test.ts name it). */
  name: string;
  /** The Node line to record it on. */
  node: string;
  /** Node flags of the recorded process: the heap cap the alerts measure against. */
  flags: string[];
  plan: Plan;
  /** Stop the process at this minute and start a fresh one under the same labels (a deploy). */
  restartAt?: number;
  /** Alerts that must be firing by a minute, or by the last scrape ('end': the end of the plan,
   *  or the last scrape before the process died). */
  fires: Array<{ alert: AlertName; by: number | 'end' }>;
  /** Alerts that must never fire during the whole scenario, or before a minute. */
  silent: Array<{ alert: AlertName; until?: number }>;
}

/** The instance label a scenario's series carry: its name, readable in promtool's failure messages. */
export function instanceLabel(scenarioName: string): string {
  return `${scenarioName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}:3000`;
}

/** The cap of the processes recorded until they die: the one the heap-at-crash experiment measures. */
const CRASH_CAP = ['--max-old-space-size=256'];
/** The cap of the other recorded processes: room for their working set, their garbage and a burst. */
const CAP = ['--max-old-space-size=512'];
const ALL_QUIET = ALERTS.map((alert) => ({ alert }));

/** A leak of about 3.4% of a 512 MiB cap per hour: the process would live for a day or more. */
const SLOW_LEAK_KIB_PER_MINUTE = 300;

function leakUntilCrash(node: string): Scenario {
  return {
    name: `leak until the crash pages first on Node ${node}`,
    node,
    flags: CRASH_CAP,
    plan: { minutes: 240, leakKiBPerMinute: 2048 },
    fires: [{ alert: 'HeapNearLimit', by: 'end' }],
    // The process dies within about an hour and a half: the growth rules, which leave out a
    // process's first hour and then want two hours of growth, have no time to fire.
    silent: [{ alert: 'OffHeapMemoryGrowth' }, { alert: 'HeapLimitMetricMissing' }],
  };
}

export const SCENARIOS: readonly Scenario[] = [
  ...['20', '22', '24', '26'].map(leakUntilCrash),
  {
    name: 'healthy service with a cache warming up fires nothing over eight hours',
    node: '24',
    flags: CAP,
    plan: { minutes: 480, workingSetMiB: 20, warmup: { minutes: 20, MiB: 30 } },
    fires: [],
    silent: ALL_QUIET,
  },
  {
    name: 'slow leak is caught by the growth rule long before the limit',
    node: '24',
    flags: CAP,
    plan: { minutes: 480, workingSetMiB: 20, warmup: { minutes: 20, MiB: 30 }, leakKiBPerMinute: SLOW_LEAK_KIB_PER_MINUTE },
    fires: [{ alert: 'HeapPostGcGrowth', by: 'end' }],
    silent: [{ alert: 'HeapNearLimit' }, { alert: 'OffHeapMemoryGrowth' }, { alert: 'HeapLimitMetricMissing' }],
  },
  {
    name: 'Buffer leak is caught outside the heap, not by the heap rules',
    node: '24',
    flags: CAP,
    plan: { minutes: 360, workingSetMiB: 20, bufferKiBPerMinute: 2 * SLOW_LEAK_KIB_PER_MINUTE },
    fires: [{ alert: 'OffHeapMemoryGrowth', by: 'end' }],
    silent: [{ alert: 'HeapNearLimit' }, { alert: 'HeapPostGcGrowth' }, { alert: 'HeapLimitMetricMissing' }],
  },
  {
    name: 'one-off spike and step fire nothing',
    node: '24',
    flags: CAP,
    plan: { minutes: 360, workingSetMiB: 20, warmup: { minutes: 20, MiB: 20 }, step: { minute: 150, MiB: 80 }, spike: { minute: 240, MiB: 280, minutes: 2 } },
    fires: [],
    silent: ALL_QUIET,
  },
  {
    name: 'big flat heap under the limit fires nothing',
    node: '24',
    flags: CAP,
    plan: { minutes: 120, workingSetMiB: 220 },
    fires: [],
    silent: ALL_QUIET,
  },
  {
    name: 'rising traffic with a flat working set fires nothing',
    node: '24',
    flags: CAP,
    plan: { minutes: 480, workingSetMiB: 20, warmup: { minutes: 20, MiB: 30 }, garbageMiBPerMinute: [32, 320] },
    fires: [],
    silent: ALL_QUIET,
  },
  {
    name: 'restart under the same labels fires nothing',
    node: '24',
    flags: CAP,
    plan: { minutes: 360, workingSetMiB: 20, warmup: { minutes: 20, MiB: 30 } },
    restartAt: 180,
    fires: [],
    silent: ALL_QUIET,
  },
  {
    name: 'a process started without a heap limit is reported instead of silence',
    node: '24',
    flags: [],
    plan: { minutes: 30, workingSetMiB: 20 },
    fires: [{ alert: 'HeapLimitMetricMissing', by: 20 }],
    silent: [{ alert: 'HeapLimitMetricMissing', until: 14 }, { alert: 'HeapNearLimit' }, { alert: 'HeapPostGcGrowth' }, { alert: 'OffHeapMemoryGrowth' }],
  },
];
