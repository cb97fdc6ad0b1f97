import type { ModelStatus, RuleName } from '@fulcrum/contracts';
import type { ModelProfile } from '../models/model-profile.types';

/**
 * Value at risk: what a model's open incidents cost per hour, as an estimate with its inputs.
 *
 *   value at risk per hour = requests per hour × value per request × share badly served
 *
 * share badly served: the error ratio for `error_budget`, the slow ratio for `latency_slo`,
 * max(0, expected − observed accuracy) for `accuracy`, the same with the accuracy estimated from
 * scores for `accuracy_estimated` (marked `estimated`: labels have not measured it yet, and while
 * the labelled incident is open too only that one counts); drift and staleness have no direct share
 * ("not estimated", 0). A model's value at risk adds its incidents' shares, capped at all of its
 * traffic (a request can be lost only once).
 */
export interface ValueAtRisk {
  rule: RuleName;
  /** Per hour, in the profile's currency; null when it cannot be estimated. */
  perHour: number | null;
  requestsPerHour: number;
  valuePerRequest: number | null;
  share: number | null;
  basis: string;
  /** The share rests on accuracy estimated from scores, not measured with labels. */
  estimated?: true;
}

export function badShare(
  rule: RuleName,
  status: Pick<ModelStatus, 'lastHour' | 'accuracy' | 'estimatedAccuracy'>,
  profile: Pick<ModelProfile, 'expectedAccuracy'> | null,
): { share: number | null; basis: string } {
  switch (rule) {
    case 'error_budget':
      return { share: status.lastHour.errorRatio, basis: 'error ratio of the last hour' };
    case 'latency_slo':
      return { share: status.lastHour.slowRatio, basis: 'slow ratio of the last hour' };
    case 'accuracy': {
      if (!status.accuracy) return { share: null, basis: 'no accuracy measured yet' };
      if (!profile) return { share: null, basis: 'no expected accuracy (no profile)' };
      return {
        share: Math.max(0, profile.expectedAccuracy - status.accuracy.value),
        basis: `expected accuracy ${profile.expectedAccuracy} − observed ${status.accuracy.value}`,
      };
    }
    case 'accuracy_estimated': {
      const e = status.estimatedAccuracy;
      if (!e) return { share: null, basis: 'no accuracy estimated yet' };
      if (!profile) return { share: null, basis: 'no expected accuracy (no profile)' };
      return {
        share: Math.max(0, profile.expectedAccuracy - e.value),
        basis: `expected accuracy ${profile.expectedAccuracy} − estimated ${e.value} (from scores; no labels yet)`,
      };
    }
    default:
      return { share: null, basis: 'not estimated: no direct share of requests is lost' };
  }
}

export function valueAtRisk(
  rule: RuleName,
  status: Pick<ModelStatus, 'lastHour' | 'accuracy' | 'estimatedAccuracy'> | null,
  profile: Pick<ModelProfile, 'expectedAccuracy' | 'valuePerRequest'> | null,
): ValueAtRisk {
  const requestsPerHour = status
    ? status.lastHour.requests.realtime + status.lastHour.requests.batch
    : 0;
  if (!status)
    return {
      rule,
      perHour: null,
      requestsPerHour,
      valuePerRequest: profile?.valuePerRequest ?? null,
      share: null,
      basis: 'no model status yet',
    };
  const { share, basis } = badShare(rule, status, profile);
  const perHour =
    share === null || !profile ? null : round2(requestsPerHour * profile.valuePerRequest * share);
  return {
    rule,
    perHour,
    requestsPerHour,
    valuePerRequest: profile?.valuePerRequest ?? null,
    share,
    basis: profile ? basis : `${basis}; no value per request (no profile)`,
    ...(rule === 'accuracy_estimated' ? { estimated: true as const } : {}),
  };
}

/** The model's total: its incidents' shares added and capped at 1, times traffic and value. */
export function modelValueAtRisk(
  rules: RuleName[],
  status: Pick<ModelStatus, 'lastHour' | 'accuracy' | 'estimatedAccuracy'> | null,
  profile: Pick<ModelProfile, 'expectedAccuracy' | 'valuePerRequest'> | null,
): { perHour: number | null; byIncident: ValueAtRisk[] } {
  // Labels outrank the estimate: with both accuracy incidents open the same loss counts once.
  const byIncident = rules.map((r) =>
    r === 'accuracy_estimated' && rules.includes('accuracy')
      ? {
          ...valueAtRisk(r, status, profile),
          perHour: null,
          share: null,
          basis: 'counted under the accuracy incident (measured with labels)',
        }
      : valueAtRisk(r, status, profile),
  );
  const estimated = byIncident.filter((v) => v.share !== null);
  if (!status || !profile || estimated.length === 0)
    return { perHour: rules.length === 0 && status && profile ? 0 : null, byIncident };
  const share = Math.min(
    1,
    estimated.reduce((sum, v) => sum + v.share!, 0),
  );
  const requests = status.lastHour.requests.realtime + status.lastHour.requests.batch;
  return { perHour: round2(requests * profile.valuePerRequest * share), byIncident };
}

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
