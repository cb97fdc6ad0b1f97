import type { TelemetryRecord } from '@fulcrum/contracts';
import { baseline, quality, window } from './telemetry-builders';

/**
 * Scripted event-time scenarios, one per rule: each drives a model into a breach and back out, so
 * that with the default rule settings it opens an incident, escalates where stated, and resolves.
 */
const MIN = 60_000;
export const SCENARIO_START = Date.UTC(2026, 0, 5, 0, 0, 0);

/** Accuracy 0.95 → 0.83 (warning) → 0.70 (critical) → 0.95 for 45 min (cooldown 30 min). */
export function accuracyScenario(modelId: string, t0 = SCENARIO_START): TelemetryRecord[] {
  const plan = [0.95, 0.95, 0.83, 0.83, 0.7, 0.7, ...Array<number>(10).fill(0.95)];
  return plan.map((acc, i) =>
    quality(modelId, t0 + i * 5 * MIN, t0 + (i + 1) * 5 * MIN, 200, Math.round(200 * acc)),
  );
}

/** 5-minute windows of 1000 requests: 2 h clean, 30 min with 20 % errors, then clean for 8 h. */
export function errorBudgetScenario(modelId: string, t0 = SCENARIO_START): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let i = 0; i < 24 + 6 + 96; i++) {
    const bad = i >= 24 && i < 30;
    out.push(
      window(modelId, t0 + i * 5 * MIN, t0 + (i + 1) * 5 * MIN, {
        count: 1000,
        errors: bad ? 200 : 0,
      }),
    );
  }
  return out;
}

/** Same shape for latency: 1 h with 90 % of requests over the 100 ms realtime target. */
export function latencyScenario(modelId: string, t0 = SCENARIO_START): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let i = 0; i < 24 + 12 + 96; i++) {
    const bad = i >= 24 && i < 36;
    out.push(
      window(modelId, t0 + i * 5 * MIN, t0 + (i + 1) * 5 * MIN, {
        count: 1000,
        slow: bad ? 900 : 10,
      }),
    );
  }
  return out;
}

const REFERENCE_EDGES = [10, 20, 30, 40];
const FLAT = [200, 200, 200, 200, 200];
const SHIFTED = [20, 30, 50, 200, 700];

/** A baseline, 2 h matching it, 2 h with both features shifted (critical), then 3 h matching. */
export function driftScenario(modelId: string, t0 = SCENARIO_START): TelemetryRecord[] {
  const out: TelemetryRecord[] = [
    baseline(modelId, t0, {
      amount: { type: 'numeric', edges: REFERENCE_EDGES, counts: FLAT },
      channel: { type: 'categorical', counts: { web: 500, app: 400, store: 100 } },
    }),
  ];
  for (let i = 0; i < 12 * 7 + 2; i++) {
    const drifted = i >= 24 && i < 48;
    out.push(
      window(modelId, t0 + i * 5 * MIN, t0 + (i + 1) * 5 * MIN, {
        count: 100,
        features: {
          amount: {
            type: 'numeric',
            edges: REFERENCE_EDGES,
            counts: (drifted ? SHIFTED : FLAT).map((c) => c / 10),
          },
          channel: {
            type: 'categorical',
            counts: drifted ? { web: 10, app: 10, store: 80 } : { web: 50, app: 40, store: 10 },
          },
        },
      }),
    );
  }
  return out;
}
