import type { ModelStatus } from '@fulcrum/contracts';
import type { ModelProfile } from '../models/model-profile.types';

/**
 * The technical-debt audit of one model: named checks over its latest status and its profile,
 * each pass / fail / not-applicable with the values it looked at and a one-line remedy. Pure: the
 * same status and profile always give the same verdicts (event time only, from the status).
 */
export const AUDIT_CHECKS = [
  'has-owner',
  'has-kpi-and-value',
  'reference-from-baseline',
  'features-have-reference',
  'labels-timely',
  'latency-telemetry',
  'telemetry-fresh',
  'upstream-declared',
  'version-within-cadence',
  'latency-within-target',
] as const;
export type AuditCheckName = (typeof AUDIT_CHECKS)[number];

export type CheckOutcome = 'pass' | 'fail' | 'not-applicable';

export interface CheckResult {
  check: AuditCheckName;
  outcome: CheckOutcome;
  evidence: Record<string, unknown>;
  remedy: string;
}

export interface AuditThresholds {
  /** Largest acceptable slow ratio over the last hour (requests over the interaction's target). */
  maxSlowRatio: number;
  /** Labels older than this (hours) fail when the profile states no expectation. */
  defaultLabelDelayHours: number;
}

export const DEFAULT_AUDIT_THRESHOLDS: AuditThresholds = {
  maxSlowRatio: 0.05,
  defaultLabelDelayHours: 24,
};

const HOUR = 3_600_000;
const hoursBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / HOUR;
const result = (
  check: AuditCheckName,
  outcome: CheckOutcome,
  evidence: Record<string, unknown>,
  remedy: string,
): CheckResult => ({ check, outcome, evidence, remedy });

export function hasOwner(profile: ModelProfile | null): CheckResult {
  const owner = profile?.ownerTeam?.trim() ?? '';
  return result(
    'has-owner',
    owner ? 'pass' : 'fail',
    { ownerTeam: owner || null },
    'State the owning team in the model profile (PUT /api/v1/models/{id}/profile).',
  );
}

export function hasKpiAndValue(profile: ModelProfile | null): CheckResult {
  const kpi = profile?.kpi?.trim() ?? '';
  const value = profile?.valuePerRequest ?? null;
  return result(
    'has-kpi-and-value',
    kpi && value !== null && value > 0 ? 'pass' : 'fail',
    { kpi: kpi || null, valuePerRequest: value },
    'Name the KPI the model serves and its value per request, so its risk can be priced.',
  );
}

export function referenceFromBaseline(status: ModelStatus): CheckResult {
  const source = status.coverage.referenceSource;
  return result(
    'reference-from-baseline',
    source === 'baseline' ? 'pass' : 'fail',
    { referenceSource: source },
    'Publish a baseline record for the model version from its training data; first-N predictions may already have drifted.',
  );
}

export function featuresHaveReference(status: ModelStatus): CheckResult {
  const { featuresSeen, featuresWithReference } = status.coverage;
  return result(
    'features-have-reference',
    featuresSeen === 0 ? 'not-applicable' : featuresWithReference >= featuresSeen ? 'pass' : 'fail',
    { featuresSeen, featuresWithReference },
    'Add the missing features to the baseline: drift on them is invisible.',
  );
}

export function labelsTimely(
  status: ModelStatus,
  profile: ModelProfile | null,
  t: AuditThresholds,
): CheckResult {
  const expected = profile?.expectedLabelDelayHours ?? t.defaultLabelDelayHours;
  const last = status.coverage.lastLabelsAt;
  const age = last === null ? null : Math.round(hoursBetween(last, status.at) * 10) / 10;
  return result(
    'labels-timely',
    age !== null && age <= expected ? 'pass' : 'fail',
    { lastLabelsAt: last, ageHours: age, expectedWithinHours: expected, at: status.at },
    'Send quality records (ground truth) at least as often as the profile expects; without them accuracy decay goes unseen.',
  );
}

export function latencyTelemetry(status: ModelStatus): CheckResult {
  return result(
    'latency-telemetry',
    status.coverage.lastLatencyAt !== null ? 'pass' : 'fail',
    { lastLatencyAt: status.coverage.lastLatencyAt },
    'Send prediction or window records with latency so the latency SLO can be judged.',
  );
}

export function telemetryFresh(status: ModelStatus): CheckResult {
  const stale = status.openIncidents.some((i) => i.rule === 'telemetry_stale');
  return result(
    'telemetry-fresh',
    stale ? 'fail' : 'pass',
    { lastRecordAt: status.coverage.lastRecordAt, staleIncidentOpen: stale },
    'Restore the telemetry feed: a silent model cannot be judged.',
  );
}

export function upstreamDeclared(profile: ModelProfile | null): CheckResult {
  const n = profile?.upstream.length ?? 0;
  return result(
    'upstream-declared',
    n > 0 ? 'pass' : 'fail',
    { upstreamDependencies: n },
    'Declare the upstream data dependencies (name, kind, owner) so their changes can be traced.',
  );
}

export function versionWithinCadence(
  status: ModelStatus,
  profile: ModelProfile | null,
): CheckResult {
  const ageDays = Math.round((hoursBetween(status.versionFirstSeenAt, status.at) / 24) * 10) / 10;
  if (!profile)
    return result(
      'version-within-cadence',
      'not-applicable',
      { modelVersion: status.modelVersion, ageDays },
      'State a retraining cadence in the profile.',
    );
  return result(
    'version-within-cadence',
    ageDays <= profile.retrainingCadenceDays ? 'pass' : 'fail',
    { modelVersion: status.modelVersion, ageDays, cadenceDays: profile.retrainingCadenceDays },
    'Retrain and ship a new version: this one is older than its retraining cadence.',
  );
}

/** The latency bottleneck the seed names: more of the last hour over target than the objective allows. */
export function latencyWithinTarget(status: ModelStatus, t: AuditThresholds): CheckResult {
  const requests = status.lastHour.requests.realtime + status.lastHour.requests.batch;
  return result(
    'latency-within-target',
    requests === 0
      ? 'not-applicable'
      : status.lastHour.slowRatio <= t.maxSlowRatio
        ? 'pass'
        : 'fail',
    { slowRatio: status.lastHour.slowRatio, maxSlowRatio: t.maxSlowRatio, requests },
    'Find the latency bottleneck (feature fetches, model size, batching): too many requests miss their target.',
  );
}

export interface Audit {
  modelId: string;
  at: string | null;
  checks: CheckResult[];
  passed: number;
  applicable: number;
  /** passed ÷ applicable checks; 0 when nothing is applicable. */
  coverage: number;
  failing: AuditCheckName[];
}

/** Every check for one model. Without a status only the profile checks can run. */
export function auditModel(
  modelId: string,
  status: ModelStatus | null,
  profile: ModelProfile | null,
  t: AuditThresholds = DEFAULT_AUDIT_THRESHOLDS,
): Audit {
  const checks: CheckResult[] = [
    hasOwner(profile),
    hasKpiAndValue(profile),
    upstreamDeclared(profile),
  ];
  if (status)
    checks.push(
      referenceFromBaseline(status),
      featuresHaveReference(status),
      labelsTimely(status, profile, t),
      latencyTelemetry(status),
      telemetryFresh(status),
      versionWithinCadence(status, profile),
      latencyWithinTarget(status, t),
    );
  checks.sort((a, b) => AUDIT_CHECKS.indexOf(a.check) - AUDIT_CHECKS.indexOf(b.check));
  const applicable = checks.filter((c) => c.outcome !== 'not-applicable').length;
  const passed = checks.filter((c) => c.outcome === 'pass').length;
  return {
    modelId,
    at: status?.at ?? null,
    checks,
    passed,
    applicable,
    coverage: applicable ? Math.round((passed / applicable) * 1e4) / 1e4 : 0,
    failing: checks.filter((c) => c.outcome === 'fail').map((c) => c.check),
  };
}
