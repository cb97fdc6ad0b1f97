import type { HealthView, Thresholds, TrendPoint } from './brief-types';

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

const HOUR = 3_600_000;

/** What the models list can be narrowed to. */
export interface ModelFilter {
  query: string;
  team: string;
  tier: string;
  state: 'all' | 'blocking' | 'incident' | 'healthy';
}

export const NO_FILTER: ModelFilter = { query: '', team: '', tier: '', state: 'all' };

/** The models a filter keeps, in the brief's order (blocking first, then value at risk). */
export function filterModels<
  H extends Pick<HealthView, 'modelId' | 'team' | 'tier' | 'blocksAdoption' | 'openIncidents'>,
>(health: H[], f: ModelFilter): H[] {
  const q = f.query.trim().toLowerCase();
  return health.filter(
    (h) =>
      (!q || h.modelId.toLowerCase().includes(q) || (h.team ?? '').toLowerCase().includes(q)) &&
      (!f.team || h.team === f.team) &&
      (!f.tier || String(h.tier) === f.tier) &&
      (f.state === 'all' ||
        (f.state === 'blocking' && h.blocksAdoption) ||
        (f.state === 'incident' && h.openIncidents.length > 0) ||
        (f.state === 'healthy' && h.openIncidents.length === 0)),
  );
}

/** The distinct teams and tiers to filter by, sorted; models without a profile have neither. */
export function facets(health: Pick<HealthView, 'team' | 'tier'>[]): {
  teams: string[];
  tiers: string[];
} {
  const teams = new Set<string>();
  const tiers = new Set<number>();
  for (const h of health) {
    if (h.team !== null) teams.add(h.team);
    if (h.tier !== null) tiers.add(h.tier);
  }
  return { teams: [...teams].sort(), tiers: [...tiers].sort((a, b) => a - b).map(String) };
}

/**
 * One value per hour from the trend's first hour to its last, null where no status arrived, so a
 * chart shows the gap instead of drawing a line across it.
 */
export function hourly(
  trend: TrendPoint[],
  value: (p: TrendPoint) => number | null | undefined,
): {
  start: number;
  values: (number | null)[];
} {
  if (!trend.length) return { start: 0, values: [] };
  const start = Date.parse(trend[0].hour);
  const end = Date.parse(trend[trend.length - 1].hour);
  const values = new Array<number | null>(Math.round((end - start) / HOUR) + 1).fill(null);
  for (const p of trend) {
    const v = value(p);
    values[Math.round((Date.parse(p.hour) - start) / HOUR)] = v ?? null;
  }
  return { start, values };
}

/**
 * An SVG path through the values: x spread over [x0, x0 + width], y from `y(value)`; a missing
 * value ends the line and the next present one starts a new one (a lone point is a short dash).
 */
export function linePath(
  values: (number | null)[],
  x0: number,
  width: number,
  y: (v: number) => number,
): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const parts: string[] = [];
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null) {
      drawing = false;
      return;
    }
    const x = Math.round((x0 + i * step) * 10) / 10;
    const yy = Math.round(y(v) * 10) / 10;
    const next = values[i + 1];
    if (!drawing && (next === null || next === undefined)) parts.push(`M${x - 1} ${yy}H${x + 1}`);
    else parts.push(`${drawing ? 'L' : 'M'}${x} ${yy}`);
    drawing = true;
  });
  return parts.join('');
}

/** Midnight ticks (UTC) of an hourly series, at most `max` of them, as index and MM-DD label. */
export function dayTicks(
  start: number,
  hours: number,
  max = 7,
): { index: number; label: string }[] {
  const first = Math.ceil(start / (24 * HOUR)) * 24 * HOUR;
  const days: { index: number; label: string }[] = [];
  for (let t = first; t <= start + (hours - 1) * HOUR; t += 24 * HOUR)
    days.push({ index: (t - start) / HOUR, label: new Date(t).toISOString().slice(5, 10) });
  const every = Math.ceil(days.length / max);
  return days.filter((_, k) => k % every === 0);
}

/** The three strips of a model's hourly chart, each with its series and labelled threshold lines. */
export interface Strip {
  name: string;
  min: number;
  max: number;
  series: { label: string; values: (number | null)[]; color: string; dash: string }[];
  thresholds: { label: string; value: number }[];
}

export const SERIES_STYLE = {
  accuracy: { label: 'accuracy (labels)', color: '#0b5cad', dash: '' },
  estimated: { label: 'accuracy estimated from scores', color: '#0b5cad', dash: '3 3' },
  error: { label: 'error ratio', color: '#a4161a', dash: '' },
  slow: { label: 'slow ratio', color: '#7a4b00', dash: '' },
  drift: { label: 'drift score', color: '#5b2a86', dash: '' },
} as const;

const niceCeil = (v: number) => {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v - 1e-12) ?? 10 * p;
};

/**
 * A model's trend as strips a person can read: accuracy on its own scale with its line, the error
 * and slow ratios with theirs, the drift score with its line. Each scale leaves room above its
 * threshold so a breach is visibly above (or below) the line.
 */
export function trendStrips(
  h: HealthView,
  defaults: Thresholds,
): { start: number; hours: number; strips: Strip[] } {
  const t = h.thresholds ?? defaults;
  const acc = hourly(h.trend, (p) => p.accuracy);
  const est = hourly(h.trend, (p) => p.estimatedAccuracy);
  const err = hourly(h.trend, (p) => p.errorRatio);
  const slow = hourly(h.trend, (p) => p.slowRatio);
  const drift = hourly(h.trend, (p) => p.driftScore);
  const present = (vs: (number | null)[]) => vs.filter((v): v is number => v !== null);
  const accValues = [...present(acc.values), ...present(est.values)];
  const accMin = Math.min(t.accuracyCritical, ...accValues) - 0.02;
  const ratioMax = niceCeil(
    Math.max(2 * t.slowRatio, 2 * t.errorRatio, ...present(err.values), ...present(slow.values)),
  );
  const driftMax = niceCeil(Math.max(2 * t.drift, ...present(drift.values)));
  const strips: Strip[] = [
    {
      name: 'accuracy',
      min: Math.max(0, Math.floor(accMin * 20) / 20),
      max: 1,
      series: [
        { ...SERIES_STYLE.accuracy, values: acc.values },
        ...(present(est.values).length ? [{ ...SERIES_STYLE.estimated, values: est.values }] : []),
      ],
      thresholds: [{ label: `${pct(t.accuracy)}`, value: t.accuracy }],
    },
    {
      name: 'error and slow ratio',
      min: 0,
      max: ratioMax,
      series: [
        { ...SERIES_STYLE.error, values: err.values },
        { ...SERIES_STYLE.slow, values: slow.values },
      ],
      thresholds: [
        { label: `error ${pct(t.errorRatio)}`, value: t.errorRatio },
        { label: `slow ${pct(t.slowRatio)}`, value: t.slowRatio },
      ],
    },
    {
      name: 'drift score',
      min: 0,
      max: driftMax,
      series: [{ ...SERIES_STYLE.drift, values: drift.values }],
      thresholds: [{ label: String(t.drift), value: t.drift }],
    },
  ];
  return { start: acc.start, hours: acc.values.length, strips };
}

/**
 * The reliability backlog's percent of the effort committed so far, each item weighed by its
 * effort score (1 without one); with `also`, as it would be if that item were committed too.
 * Null before anything is committed.
 */
export function committedShare(
  decisions: { itemId: string; decision: string; backlog: string }[],
  effort: (itemId: string) => number,
  also?: { itemId: string; backlog: string },
): number | null {
  let all = 0;
  let reliability = 0;
  const committed = decisions.filter((d) => d.decision === 'commit');
  for (const d of also && !committed.some((c) => c.itemId === also.itemId)
    ? [...committed, also]
    : committed) {
    const e = effort(d.itemId);
    all += e;
    if (d.backlog === 'reliability') reliability += e;
  }
  return all > 0 ? Math.round((reliability / all) * 1000) / 10 : null;
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
