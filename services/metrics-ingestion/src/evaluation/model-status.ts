import {
  MODEL_STATUS_SCHEMA_ID,
  RULES,
  type ModelStatus,
  type ReferenceSource,
} from '@fulcrum/contracts';
import { evaluateAccuracy } from '../rules/accuracy.rule';
import { estimateBounds } from '../rules/accuracy-estimate';
import { estimateError } from '../rules/accuracy-estimate.rule';
import { ERRORS, SLOW, TOTAL } from '../rules/slo-counters';
import type { RuleSettings } from '../settings/rule-settings';
import type { ModelState } from '../model-state/model-state';
import { statusDigest } from '../model-state/status-digest';

const HOUR = 3_600_000;

const iso = (t: number) => new Date(t).toISOString();
const round = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * The model's status at boundary `at`, from its state alone (event time only: identical on replay).
 * Returned only when it differs from the last one emitted, ignoring `at` itself.
 */
export function statusAt(state: ModelState, at: number, s: RuleSettings): ModelStatus | undefined {
  const hour = state.slo.window(at, HOUR);
  const [realtime, batch] = state.traffic.sum(at, HOUR);
  const total = hour[TOTAL];

  let accuracy: ModelStatus['accuracy'] = null;
  const verdict = evaluateAccuracy(state.quality, s.accuracy, at);
  if (verdict.status !== 'unknown') {
    let newest: (typeof state.quality)[number] | undefined;
    for (const w of state.quality) if (w.at === undefined || w.at < at) newest = w;
    accuracy = {
      value: verdict.observed,
      labeled: (verdict.evidence as { labeled: number }).labeled,
      labelLagSeconds: newest ? Math.round(((newest.at ?? newest.end) - newest.end) / 1000) : 0,
    };
  }

  // Only calibrated models carry the field, so other models' statuses are as before.
  let estimatedAccuracy: ModelStatus['estimatedAccuracy'];
  const est = state.estimation;
  if (est.calibrated) {
    const e = est.estimateBefore(at, s.accuracyEstimate.minPredictions);
    if (e) {
      const [lower, upper] = estimateBounds(e, est.referenceAccuracy);
      estimatedAccuracy = {
        value: round(e.estimate),
        lower: round(lower),
        upper: round(upper),
        predictions: e.predictions,
        window: { start: iso(e.start), end: iso(e.end) },
        error: estimateError(state.quality, (from, to) => est.estimateOver(from, to), at),
      };
    } else estimatedAccuracy = null;
  }

  const scores = state.drift.lastScores;
  let maxScore = 0;
  const drifting: string[] = [];
  for (const name of Object.keys(scores).sort()) {
    const ref = state.drift.reference.get(name);
    if (!ref) continue;
    maxScore = Math.max(maxScore, scores[name]);
    if (scores[name] >= (ref.type === 'numeric' ? s.drift.psiWarning : s.drift.jsWarning))
      drifting.push(name);
  }

  const source: ReferenceSource = state.drift.referenceSource;
  // Only what lies before the boundary counts, so two arrival orders give the same status.
  const marks = state.marks.at(at);
  let featuresSeen = 0;
  let withReference = 0;
  state.featuresSeen.forEach((f, i) => {
    if (state.featuresSince[i] >= at) return;
    featuresSeen++;
    if (state.drift.reference.has(f)) withReference++;
  });
  const body: Omit<ModelStatus, 'at'> = {
    schema: MODEL_STATUS_SCHEMA_ID,
    modelId: state.modelId,
    modelVersion: marks.version || state.modelVersion,
    versionFirstSeenAt: iso(
      Number.isFinite(marks.versionFirstSeenAt) ? marks.versionFirstSeenAt : at,
    ),
    lastHour: {
      requests: { realtime, batch },
      errorRatio: total > 0 ? round(hour[ERRORS] / total) : 0,
      slowRatio: total > 0 ? round(hour[SLOW] / total) : 0,
    },
    accuracy,
    estimatedAccuracy,
    drift: { maxScore: round(maxScore), driftingFeatures: drifting },
    openIncidents: RULES.flatMap((rule) => {
      const open = state.incidents[rule];
      return open ? [{ incidentId: open.incidentId, rule, severity: open.severity }] : [];
    }),
    coverage: {
      referenceSource: source,
      featuresSeen,
      featuresWithReference: withReference,
      lastLabelsAt: Number.isFinite(marks.lastLabelsAt) ? iso(marks.lastLabelsAt) : null,
      lastLatencyAt: Number.isFinite(marks.lastLatencyAt) ? iso(marks.lastLatencyAt) : null,
      lastRecordAt: iso(Number.isFinite(marks.lastRecordAt) ? marks.lastRecordAt : at),
    },
    thresholds: {
      accuracy: s.accuracy.warningBelow,
      accuracyCritical: s.accuracy.criticalBelow,
      errorRatio: round(1 - s.errorBudget.objective),
      slowRatio: round(1 - s.latency.objective),
      drift: s.drift.psiWarning,
    },
  };
  const digest = statusDigest(JSON.stringify(body));
  if (digest === state.lastStatusDigest) return undefined;
  state.lastStatusDigest = digest;
  const { schema, modelId, modelVersion, versionFirstSeenAt, ...rest } = body;
  return { schema, modelId, modelVersion, versionFirstSeenAt, at: iso(at), ...rest };
}
