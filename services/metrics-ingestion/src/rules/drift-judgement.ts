import type { RuleSettings } from '../settings/rule-settings';
import { jensenShannonDistance, psi } from './drift-math';
import type { Reference } from './drift-reference';
import type { WindowCounts } from './drift-windows';
import { isoWindow, UNKNOWN, type Verdict } from './verdict';

type DriftSettings = RuleSettings['drift'];

export interface DriftJudgement {
  verdict: Verdict;
  /** Each judged feature's score, rounded; null when no feature had enough observations. */
  scores: Record<string, number> | null;
}

/**
 * Judges one closed window against the reference: PSI for numeric features, Jensen–Shannon
 * distance for categorical ones, only features with at least `minObservations`. A breach is
 * critical when a numeric PSI reaches the critical line or the drifting share reaches the
 * model-drift share.
 */
export function judgeDriftWindow(
  w: number,
  counts: WindowCounts,
  reference: Reference,
  source: string | null,
  s: DriftSettings,
): DriftJudgement {
  const scores: Record<
    string,
    { metric: 'psi' | 'jensen_shannon'; score: number; drifting: boolean; observations: number }
  > = {};
  let judged = 0;
  let drifting = 0;
  let maxScore = 0;
  let critical = false;
  for (const [name, vector] of counts) {
    const ref = reference.get(name)!;
    const observations = vector.reduce((a, b) => a + b, 0);
    if (observations < s.minObservations) continue;
    judged++;
    const numeric = ref.type === 'numeric';
    const score = numeric ? psi(ref.counts, vector) : jensenShannonDistance(ref.counts, vector);
    const isDrifting = score >= (numeric ? s.psiWarning : s.jsWarning);
    if (isDrifting) drifting++;
    if (numeric && score >= s.psiCritical) critical = true;
    maxScore = Math.max(maxScore, score);
    scores[name] = {
      metric: numeric ? 'psi' : 'jensen_shannon',
      score: Math.round(score * 1e4) / 1e4,
      drifting: isDrifting,
      observations,
    };
  }
  if (judged === 0) return { verdict: UNKNOWN, scores: null };
  const share = drifting / judged;
  const window = isoWindow(w * s.windowMs, (w + 1) * s.windowMs);
  const evidence = {
    driftShare: Math.round(share * 1e4) / 1e4,
    modelDrift: share >= s.modelDriftShare,
    referenceSource: source,
    features: scores,
  };
  const observed = Math.round(maxScore * 1e4) / 1e4;
  const rounded = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, v.score]));
  if (drifting === 0)
    return {
      verdict: { status: 'clear', observed, threshold: s.psiWarning, window, evidence },
      scores: rounded,
    };
  return {
    verdict: {
      status: 'breach',
      severity: critical || share >= s.modelDriftShare ? 'critical' : 'warning',
      observed,
      threshold: s.psiWarning,
      window,
      evidence,
    },
    scores: rounded,
  };
}
