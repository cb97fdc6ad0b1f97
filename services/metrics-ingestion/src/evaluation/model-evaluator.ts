import {
  deterministicId,
  type ModelStatus,
  type ReliabilityEvent,
  type RuleName,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { incidentEvent, trackIncident } from '../incidents/incident';
import { evaluateAccuracy, recordQuality } from '../rules/accuracy.rule';
import { evaluateBurnRate } from '../rules/burn-rate.rule';
import { evaluateEstimatedAccuracy } from '../rules/accuracy-estimate.rule';
import { FINE_BUCKET_MS, type RuleSettings } from '../settings/rule-settings';
import { ERRORS, SLOW } from '../rules/slo-counters';
import { isoWindow, type Verdict } from '../rules/verdict';
import { FEATURES_TRACKED, type ModelState } from '../model-state/model-state';
import { statusAt } from './model-status';
import { ANY, LABELS, LATENCY } from '../model-state/status-marks';

/** At most this many 5-minute boundaries are evaluated at once (3 days); older ones are skipped. */
const MAX_BOUNDARIES_PER_RECORD = 864;

/** A record the telemetry validator accepted: the record and its parsed event time. */
export interface Observed {
  record: TelemetryRecord;
  eventTimeMs: number;
}

/**
 * Processing time, read once per batch by the caller: it only feeds `emittedAt` and the stale
 * rule, and formatting it once per batch instead of once per record is measurable.
 */
export interface ProcessingClock {
  now: number;
  iso: string;
}
export const clockAt = (now: number): ProcessingClock => ({
  now,
  iso: new Date(now).toISOString(),
});

/** What folding one record caused: whether it came too late to count, its events and statuses. */
export interface Evaluation {
  late: boolean;
  events: readonly ReliabilityEvent[];
  statuses: readonly ModelStatus[];
}

const NONE: never[] = [];
/** Most records emit nothing: the arrays are allocated only when something is emitted. */
class Emitted implements Evaluation {
  late = false;
  events: ReliabilityEvent[] = NONE;
  statuses: ModelStatus[] = NONE;
  event(e: ReliabilityEvent): void {
    if (this.events === NONE) this.events = [];
    this.events.push(e);
  }
  status(s: ModelStatus): void {
    if (this.statuses === NONE) this.statuses = [];
    this.statuses.push(s);
  }
}

/**
 * The pure heart of metrics-ingestion: folds one valid record into its model's state, in event
 * time, and returns the reliability events and model statuses it causes. Deterministic for a given
 * sequence of records, which is what makes replays and reprocessing emit identical event ids.
 * The state is updated in place — its bucket rings are typed arrays, and copying them per record
 * would cost more than the rest of the hot path — and nothing else is kept between calls.
 */
export function evaluate(
  state: ModelState,
  { record, eventTimeMs: t }: Observed,
  s: RuleSettings,
  clock: ProcessingClock,
): Evaluation {
  const out = new Emitted();
  const horizon = state.watermark - s.allowedLatenessMs;
  if (record.kind !== 'baseline' && t < horizon) {
    out.late = true;
    return out;
  }
  const emittedAt = clock.iso;
  state.lastSeenAt = clock.now;
  resolveStale(state, t, emittedAt, out);
  if (t >= state.watermark || state.modelVersion === '') state.modelVersion = record.modelVersion;

  // Boundaries the new watermark passes are judged before this record is counted: the record lies
  // after all of them, and counting it first could reuse a bucket slot an earlier window still needs.
  if (t > state.watermark) {
    state.watermark = t;
    advance(state, s, emittedAt, out);
  }
  state.marks.note(
    t,
    record.kind === 'quality' ? ANY | LABELS : record.kind === 'baseline' ? ANY : ANY | LATENCY,
    record.modelVersion,
  );

  switch (record.kind) {
    case 'prediction': {
      const target =
        record.interaction === 'realtime' ? s.latency.realtimeTargetMs : s.latency.batchTargetMs;
      state.slo.add(t, 1, record.outcome === 'error' ? 1 : 0, record.latencyMs > target ? 1 : 0);
      if (record.interaction === 'realtime') state.traffic.add2(t, 1, 0);
      else state.traffic.add2(t, 0, 1);
      if (record.features) noteFeatures(state, record.features, t);
      if (s.drift.enabled) state.drift.observe(record.modelVersion, t, record.features, s.drift);
      if (record.score !== undefined)
        state.estimation.observe(record.modelVersion, t, record.score, record.predictedLabel!);
      break;
    }
    case 'window': {
      const target =
        record.interaction === 'realtime' ? s.latency.realtimeTargetMs : s.latency.batchTargetMs;
      const { boundsMs, counts } = record.latency;
      let slow = counts[counts.length - 1];
      for (let i = 0; i < boundsMs.length; i++) if (boundsMs[i] > target) slow += counts[i];
      state.slo.add(t, record.count, record.errorCount, slow);
      if (record.interaction === 'realtime') state.traffic.add2(t, record.count, 0);
      else state.traffic.add2(t, 0, record.count);
      if (record.features) noteFeatures(state, record.features, t);
      if (s.drift.enabled && record.features)
        state.drift.observeHistograms(t, record.features, s.drift);
      if (record.scores) state.estimation.observeHistogram(record.modelVersion, t, record.scores);
      break;
    }
    case 'quality':
      // Judged at the next boundary, with every quality record of event time before it: accuracy
      // then depends on event time only, not on the order records arrived in within the lateness.
      recordQuality(state.quality, {
        start: Date.parse(record.windowStart),
        end: Date.parse(record.windowEnd),
        labeled: record.labeled,
        correct: record.correct,
        at: t,
      });
      break;
    case 'baseline':
      // A calibration-only baseline leaves the drift reference as it was.
      if (Object.keys(record.features).length > 0)
        state.drift.applyBaseline(record.modelVersion, record.features);
      if (record.calibration)
        state.estimation.applyCalibration(record.modelVersion, record.calibration);
      break;
  }
  return out;
}

/**
 * Remembers feature names for coverage, up to FEATURES_TRACKED, with the earliest event time each
 * was seen (a status counts only the features seen before its boundary).
 */
function noteFeatures(state: ModelState, features: Record<string, unknown>, t: number): void {
  const seen = state.featuresSeen;
  for (const name in features) {
    const i = seen.indexOf(name);
    if (i >= 0) {
      if (t < state.featuresSince[i]) state.featuresSince[i] = t;
    } else if (seen.length < FEATURES_TRACKED) {
      seen.push(name);
      state.featuresSince.push(t);
    }
  }
}

/** Evaluates the SLO and drift rules at every 5-minute boundary the event-time clock has passed. */
function advance(state: ModelState, s: RuleSettings, emittedAt: string, out: Emitted): void {
  const clock = state.watermark - s.allowedLatenessMs;
  const lastBoundary = Math.floor(clock / FINE_BUCKET_MS) * FINE_BUCKET_MS;
  if (!Number.isFinite(state.evaluatedThrough)) {
    state.evaluatedThrough = lastBoundary;
    return;
  }
  let b = Math.max(
    state.evaluatedThrough + FINE_BUCKET_MS,
    lastBoundary - (MAX_BOUNDARIES_PER_RECORD - 1) * FINE_BUCKET_MS,
  );
  for (; b <= lastBoundary; b += FINE_BUCKET_MS) {
    let realized: Verdict | undefined;
    if (s.accuracy.enabled) {
      realized = evaluateAccuracy(state.quality, s.accuracy, b, state.incidents.accuracy?.severity);
      track(state, 'accuracy', realized, b, s.accuracy.cooldownMs, emittedAt, out);
    }
    if (s.accuracyEstimate.enabled && state.estimation.calibrated)
      estimateAccuracyAt(state, s, b, realized, emittedAt, out);
    if (s.errorBudget.enabled) {
      const v = evaluateBurnRate({
        counters: state.slo,
        end: b,
        badIndex: ERRORS,
        objective: s.errorBudget.objective,
        alerts: s.burnRateAlerts,
        minEvents: s.errorBudget.minEvents,
      });
      if (v.status !== 'unknown')
        state.burnRates.error_budget = v.evidence.burnRates as Record<string, number>;
      track(state, 'error_budget', v, b, s.errorBudget.cooldownMs, emittedAt, out);
    }
    if (s.latency.enabled) {
      const v = evaluateBurnRate({
        counters: state.slo,
        end: b,
        badIndex: SLOW,
        objective: s.latency.objective,
        alerts: s.burnRateAlerts,
        minEvents: s.latency.minEvents,
      });
      if (v.status !== 'unknown')
        state.burnRates.latency_slo = v.evidence.burnRates as Record<string, number>;
      track(state, 'latency_slo', v, b, s.latency.cooldownMs, emittedAt, out);
    }
    if (s.drift.enabled) {
      for (const v of state.drift.close(b, s.drift, s.allowedLatenessMs))
        track(state, 'feature_drift', v, b, s.drift.cooldownMs, emittedAt, out);
    }
    const status = statusAt(state, b, s);
    if (status) out.status(status);
    state.evaluatedThrough = b;
  }
}

/**
 * The estimated-accuracy rule at boundary `b`. Labels outrank the estimate: once the realized
 * accuracy covers the window an estimated incident opened on, a realized breach confirms it (an
 * `updated` event; it stays open until the estimate recovers) and a realized clear refutes it
 * (`resolved` at once, and the estimate may not reopen it until it has been back above the line).
 */
function estimateAccuracyAt(
  state: ModelState,
  s: RuleSettings,
  b: number,
  realized: Verdict | undefined,
  emittedAt: string,
  out: Emitted,
): void {
  const est = state.estimation;
  est.closeBucket(b);
  const ctx = {
    modelId: state.modelId,
    modelVersion: state.modelVersion,
    rule: 'accuracy_estimated' as const,
    at: b,
    emittedAt,
  };
  const open = state.incidents.accuracy_estimated;
  if (
    open &&
    realized &&
    realized.status !== 'unknown' &&
    realized.status !== 'hold' &&
    Date.parse(realized.window.end) >= Date.parse(open.openedWindowEnd)
  ) {
    const evidence = {
      basis: 'realized',
      confirmation: realized.status === 'breach' ? 'confirmed' : 'refuted',
      realizedAccuracy: realized.observed,
      ...realized.evidence,
      accuracyIncidentId: state.incidents.accuracy?.incidentId ?? null,
    };
    if (realized.status === 'breach' && !open.confirmed) {
      open.confirmed = true;
      out.event(
        incidentEvent(
          ctx,
          open,
          'updated',
          { ...realized, threshold: s.accuracy.warningBelow, evidence },
          deterministicId(open.incidentId, 'confirmed'),
        ),
      );
    } else if (realized.status === 'clear') {
      delete state.incidents.accuracy_estimated;
      est.refuted = true;
      out.event(
        incidentEvent(
          ctx,
          open,
          'resolved',
          { ...realized, evidence },
          deterministicId(open.incidentId, 'resolved'),
        ),
      );
    }
  }
  const v = evaluateEstimatedAccuracy(
    est.estimateBefore(b, s.accuracyEstimate.minPredictions),
    est.referenceAccuracy,
    s.accuracy,
    state.incidents.accuracy_estimated?.severity,
    est.refuted,
  );
  if (v.status !== 'unknown' && v.observed >= s.accuracy.warningBelow) est.refuted = false;
  track(state, 'accuracy_estimated', v, b, s.accuracyEstimate.cooldownMs, emittedAt, out);
}

function track(
  state: ModelState,
  rule: RuleName,
  verdict: Verdict,
  at: number,
  cooldownMs: number,
  emittedAt: string,
  out: Emitted,
): void {
  const { next, event } = trackIncident(state.incidents[rule], verdict, {
    modelId: state.modelId,
    modelVersion: state.modelVersion,
    rule,
    at,
    cooldownMs,
    emittedAt,
  });
  if (next) state.incidents[rule] = next;
  else delete state.incidents[rule];
  if (event) out.event(event);
}

/**
 * Telemetry stale is judged in processing time (a silent model has no event time): opened by the
 * periodic sweep, resolved by the next record. Its id derives from the last event time seen.
 */
export function evaluateStale(
  state: ModelState,
  s: RuleSettings,
  { now, iso }: ProcessingClock,
): ReliabilityEvent | null {
  if (
    !s.stale.enabled ||
    state.incidents.telemetry_stale ||
    now - state.lastSeenAt < s.stale.afterMs
  )
    return null;
  const last = Number.isFinite(state.watermark) ? state.watermark : 0;
  const incidentId = deterministicId(state.modelId, 'telemetry_stale', last);
  state.incidents.telemetry_stale = {
    incidentId,
    severity: 'warning',
    openedWindowEnd: new Date(last).toISOString(),
    clearSince: null,
  };
  return staleEvent(
    state,
    'opened',
    deterministicId(incidentId, 'opened'),
    incidentId,
    last,
    (now - state.lastSeenAt) / 1000,
    s.stale.afterMs / 1000,
    iso,
  );
}

function resolveStale(state: ModelState, t: number, emittedAt: string, out: Emitted): void {
  const open = state.incidents.telemetry_stale;
  if (!open) return;
  delete state.incidents.telemetry_stale;
  out.event(
    staleEvent(
      state,
      'resolved',
      deterministicId(open.incidentId, 'resolved'),
      open.incidentId,
      t,
      0,
      0,
      emittedAt,
    ),
  );
}

function staleEvent(
  state: ModelState,
  transition: 'opened' | 'resolved',
  eventId: string,
  incidentId: string,
  at: number,
  observed: number,
  threshold: number,
  emittedAt: string,
): ReliabilityEvent {
  const last = Number.isFinite(state.watermark) ? state.watermark : at;
  const ctx = {
    modelId: state.modelId,
    modelVersion: state.modelVersion,
    rule: 'telemetry_stale' as const,
    at,
    emittedAt,
  };
  return incidentEvent(
    ctx,
    { incidentId, severity: 'warning' },
    transition,
    {
      status: 'clear',
      observed: Math.round(observed),
      threshold,
      window: isoWindow(last, Math.max(at, last)),
      evidence: { lastEventTime: new Date(last).toISOString(), basis: 'processing-time' },
    },
    eventId,
  );
}
