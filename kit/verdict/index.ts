/** The checker's judgement: the trend statistics, the rules that decide, and the words that say it. */
export { FLAT_AT_MOST, LEAK_AT_LEAST, CONFIDENCE_Z, CONFIRM_BELOW, CONFIRM_INCREMENTS, MIN_INCREMENTS, WINDOW_INCREMENTS, judgeTrend, median, robustSpread, theilSen, withoutSteps, type TrendDecision, type TrendFinding, type TrendPoint } from './trend.ts';
export { heapObjects, seriesValue, type SeriesName } from './series.ts';
export { COUNTER_MIN_DELTA, COUNTER_MIN_PER_OP, decide, errorVerdict, judgeAfterLoad, judgeCounter, keptBetweenQuiet, measuredOps, memoryTrend, type AfterLoadJudgement, type ReleaseConfirmation, type VerdictInput } from './rules.ts';
export { STATUS_LABEL, perOperation } from './wording.ts';
