import type { BriefView, Thresholds } from './brief-types';

/**
 * The page's pure parts: how numbers, times and chart series are written. No DOM here, so these
 * are unit-tested like the rest of the code.
 */

/** An amount in the brief's currency; an estimate that could not be made says so in words. */
export function money(value: number | null | undefined, currency: string): string {
  return value === null || value === undefined
    ? 'not estimated'
    : `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
}

/** A ratio as a percentage with one decimal; a missing one as a dash. */
export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value * 1000) / 10} %`;
}

/**
 * The latest accuracy as the models table writes it: measured with labels, and the estimate from
 * scores beside it, always called an estimate.
 */
export function accuracyText(
  p: { accuracy: number | null; estimatedAccuracy?: number | null } | undefined,
): string {
  if (!p) return '–';
  const estimated = p.estimatedAccuracy != null ? `estimated ${pct(p.estimatedAccuracy)}` : '';
  if (p.accuracy === null) return estimated || '–';
  return estimated ? `${pct(p.accuracy)} (${estimated})` : pct(p.accuracy);
}

/** An ISO time to the minute, as the page writes times (UTC). */
export const minuteUtc = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** An hourly trend point's axis label: month-day hour. */
export const hourLabel = (iso: string): string => iso.slice(5, 13).replace('T', ' ');

export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
  dash: number[];
}

/**
 * The lines of one model's hourly chart: what the rules judge, with the model's own thresholds
 * (the defaults when its status carries none) as dashed lines.
 */
export function trendSeries(h: BriefView['health'][number], defaults: Thresholds): Series[] {
  const t = h.thresholds ?? defaults;
  const flat = (v: number) => h.trend.map(() => v);
  return [
    { label: 'accuracy', data: h.trend.map((p) => p.accuracy), color: '#0b5cad', dash: [] },
    ...(h.trend.some((p) => p.estimatedAccuracy != null)
      ? [
          {
            label: 'accuracy (estimated from scores)',
            data: h.trend.map((p) => p.estimatedAccuracy ?? null),
            color: '#0b5cad',
            dash: [2, 2],
          },
        ]
      : []),
    {
      label: `accuracy threshold ${t.accuracy}`,
      data: flat(t.accuracy),
      color: '#0b5cad',
      dash: [6, 4],
    },
    { label: 'error ratio', data: h.trend.map((p) => p.errorRatio), color: '#a4161a', dash: [] },
    { label: 'slow ratio', data: h.trend.map((p) => p.slowRatio), color: '#7a4b00', dash: [] },
    { label: 'slow-ratio target', data: flat(t.slowRatio), color: '#7a4b00', dash: [6, 4] },
    { label: 'drift score', data: h.trend.map((p) => p.driftScore), color: '#5b2a86', dash: [] },
  ];
}

/** The body of PUT …/allocation from the form's fields (percent values). */
export function allocationBody(v: {
  capability: number;
  reliability: number;
  criticalFeature: number;
  innovation: number;
  modelHygiene: number;
  technicalDebt: number;
  deviation: string;
}) {
  return {
    byBacklog: { capability: v.capability, reliability: v.reliability },
    byQuadrant: {
      'critical-feature': v.criticalFeature,
      innovation: v.innovation,
      'model-hygiene': v.modelHygiene,
      'technical-debt': v.technicalDebt,
    },
    deviationRationale: v.deviation || undefined,
  };
}

/** A fresh Idempotency-Key for one write from the page. */
export const idempotencyKey = (now: number, random: number): string =>
  `brief-${now}-${random.toString(36).slice(2, 10)}`;
