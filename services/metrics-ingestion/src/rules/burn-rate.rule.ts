import type { BurnRateAlert } from '../settings/rule-settings';
import { SloCounters, TOTAL } from './slo-counters';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

export interface BurnRateInput {
  counters: SloCounters;
  /** Bucket-aligned evaluation time (event time). */
  end: number;
  /** Which counter holds the bad events (ERRORS for availability, SLOW for latency). */
  badIndex: number;
  objective: number;
  alerts: BurnRateAlert[];
  minEvents: number;
}

/** burn rate = bad-event ratio / (1 − objective); 0 for an empty window. */
export function burnRate(total: number, bad: number, objective: number): number {
  return total > 0 ? bad / total / (1 - objective) : 0;
}

/**
 * Multi-window, multi-burn-rate alerting (SRE Workbook ch. 5, as Sloth generates it): an alert fires
 * when both its long and short window burn faster than its factor. The most severe firing alert
 * wins. `clear` only once every short window is back under its factor; otherwise `hold`.
 * A long window with fewer than `minEvents` requests cannot fire: low traffic must not page.
 */
export function evaluateBurnRate(input: BurnRateInput): Verdict {
  const { counters, end, badIndex, objective, alerts, minEvents } = input;
  const rates: Record<string, number> = {};
  let firing: { alert: BurnRateAlert; long: number; short: number } | undefined;
  let anyShortOver = false;
  let judged = false;
  for (const alert of alerts) {
    const long = counters.window(end, alert.longMs);
    const short = counters.window(end, alert.shortMs);
    const longRate = burnRate(long[TOTAL], long[badIndex], objective);
    const shortRate = burnRate(short[TOTAL], short[badIndex], objective);
    rates[label(alert.longMs)] = round(longRate);
    rates[label(alert.shortMs)] = round(shortRate);
    if (long[TOTAL] < minEvents) continue;
    judged = true;
    if (shortRate > alert.factor) anyShortOver = true;
    if (longRate > alert.factor && shortRate > alert.factor) {
      if (!firing || (alert.severity === 'critical' && firing.alert.severity !== 'critical')) {
        firing = { alert, long: longRate, short: shortRate };
      }
    }
  }
  if (!judged) return UNKNOWN;
  if (firing) {
    return {
      status: 'breach',
      severity: firing.alert.severity,
      observed: round(firing.long),
      threshold: firing.alert.factor,
      window: isoWindow(end - firing.alert.longMs, end),
      evidence: { burnRates: rates, objective, shortWindowBurnRate: round(firing.short) },
    };
  }
  const first = alerts[0];
  return {
    status: anyShortOver ? 'hold' : 'clear',
    observed: rates[label(first.longMs)] ?? 0,
    threshold: first.factor,
    window: isoWindow(end - first.longMs, end),
    evidence: { burnRates: rates, objective },
  };
}

export function label(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
