import type { RuleName, Severity } from '@fulcrum/contracts';
import { priorityScore } from '../items/priority-score';
import type { Scores } from '../items/item.types';
import type { Tier } from '../models/model-profile.types';

export interface Explanation {
  /** What is explained: a score, or why the model blocks adoption. */
  subject: 'userImpact' | 'systemRisk' | 'timeCriticality' | 'confidence' | 'blocksAdoption';
  value: number | boolean;
  because: string;
}

export interface DerivationInputs {
  rule: RuleName;
  severity: Severity;
  blocksAdoption: boolean;
  observed: number;
  threshold: number;
  tier: Tier | null;
  valueAtRiskPerHour: number | null;
  costOfDelay: number | null;
  currency: string;
}

const clamp = (v: number) => Math.max(1, Math.min(10, Math.round(v)));
const money = (v: number, currency: string) =>
  `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;

/**
 * A reliability item's scores, derived from numbers rather than set by hand:
 *
 *   user impact      = 1 + 2·log10(1 + value at risk per hour), +1 for tier 1, −1 for tier 3
 *                      (5 when value at risk cannot be estimated)
 *   system risk      = 8 if critical else 5, +2 when the model blocks adoption
 *   time criticality = 3 + 1.5·log10(1 + cost of delay so far)
 *                      (7 if critical else 5 when cost of delay cannot be estimated)
 *   effort 5 (a person estimates it), confidence 0.8 with a profile and a status, else 0.5
 *
 * each clamped to 1–10; every score comes with the inputs that gave it.
 */
export function deriveReliabilityScores(i: DerivationInputs): {
  scores: Scores;
  priorityScore: number;
  explanation: Explanation[];
} {
  const tierBonus = i.tier === 1 ? 1 : i.tier === 3 ? -1 : 0;
  const userImpact =
    i.valueAtRiskPerHour === null
      ? clamp(5 + tierBonus)
      : clamp(1 + 2 * Math.log10(1 + i.valueAtRiskPerHour) + tierBonus);
  const systemRisk = clamp((i.severity === 'critical' ? 8 : 5) + (i.blocksAdoption ? 2 : 0));
  const timeCriticality =
    i.costOfDelay === null
      ? clamp(i.severity === 'critical' ? 7 : 5)
      : clamp(3 + 1.5 * Math.log10(1 + i.costOfDelay));
  const estimated = i.valueAtRiskPerHour !== null;
  const scores: Scores = {
    userImpact,
    systemRisk,
    timeCriticality,
    effort: 5,
    confidence: estimated ? 0.8 : 0.5,
  };
  const tierText =
    i.tier === null
      ? 'no profile, no tier adjustment'
      : `tier ${i.tier} → ${tierBonus >= 0 ? '+' : ''}${tierBonus}`;
  const explanation: Explanation[] = [
    {
      subject: 'userImpact',
      value: userImpact,
      because: estimated
        ? `value at risk ${money(i.valueAtRiskPerHour!, i.currency)}/h → 1 + 2·log10(1 + ${i.valueAtRiskPerHour}); ${tierText}`
        : `value at risk not estimated → 5; ${tierText}`,
    },
    {
      subject: 'systemRisk',
      value: systemRisk,
      because: `${i.rule} ${i.severity} (observed ${i.observed} vs threshold ${i.threshold}) → ${i.severity === 'critical' ? 8 : 5}${i.blocksAdoption ? '; blocks adoption → +2' : ''}`,
    },
    {
      subject: 'timeCriticality',
      value: timeCriticality,
      because:
        i.costOfDelay === null
          ? `cost of delay not estimated → ${i.severity === 'critical' ? 7 : 5} (${i.severity})`
          : `cost of delay so far ${money(i.costOfDelay, i.currency)} → 3 + 1.5·log10(1 + ${i.costOfDelay})`,
    },
    {
      subject: 'confidence',
      value: scores.confidence,
      because: estimated
        ? 'value at risk estimated from the model profile and its status'
        : 'no value at risk estimate (profile or status missing)',
    },
  ];
  if (i.blocksAdoption)
    explanation.push({
      subject: 'blocksAdoption',
      value: true,
      because:
        i.rule === 'accuracy'
          ? `accuracy ${i.observed} is below ${i.threshold}, the model's threshold`
          : `the error budget burns at a paging rate (${i.observed}× over ${i.threshold}×)`,
    });
  return { scores, priorityScore: priorityScore(scores), explanation };
}

/** How much a failing check weighs on risk: missing signals hide incidents, paperwork less so. */
const CHECK_RISK: Record<string, number> = {
  'telemetry-fresh': 8,
  'labels-timely': 7,
  'reference-from-baseline': 6,
  'features-have-reference': 6,
  'latency-telemetry': 6,
  'latency-within-target': 6,
  'has-owner': 5,
  'version-within-cadence': 5,
  'has-kpi-and-value': 4,
  'upstream-declared': 4,
};

/**
 * A technical-debt item's scores, from the model's tier and value and the gap's kind:
 *   user impact = 8 / 6 / 4 for tier 1 / 2 / 3 (5 without a profile), +1 when a request is worth ≥ 0.10
 *   system risk = the check's weight (missing telemetry or labels 6–8, missing paperwork 4–5)
 *   time criticality 6 for tier 1, else 4; effort 3; confidence 0.7
 */
export function deriveDebtScores(i: {
  check: string;
  tier: Tier | null;
  valuePerRequest: number | null;
  currency: string;
}): { scores: Scores; priorityScore: number; explanation: Explanation[] } {
  const base = i.tier === 1 ? 8 : i.tier === 2 ? 6 : i.tier === 3 ? 4 : 5;
  const valuable = (i.valuePerRequest ?? 0) >= 0.1;
  const scores: Scores = {
    userImpact: clamp(base + (valuable ? 1 : 0)),
    systemRisk: CHECK_RISK[i.check] ?? 5,
    timeCriticality: i.tier === 1 ? 6 : 4,
    effort: 3,
    confidence: 0.7,
  };
  return {
    scores,
    priorityScore: priorityScore(scores),
    explanation: [
      {
        subject: 'userImpact',
        value: scores.userImpact,
        because: `${i.tier === null ? 'no profile' : `tier ${i.tier}`} → ${base}${valuable ? `; ${i.valuePerRequest} ${i.currency} per request → +1` : ''}`,
      },
      {
        subject: 'systemRisk',
        value: scores.systemRisk,
        because: `the ${i.check} gap weighs ${scores.systemRisk}: what it leaves unseen`,
      },
      {
        subject: 'timeCriticality',
        value: scores.timeCriticality,
        because: i.tier === 1 ? 'tier 1 → 6' : 'not revenue-critical → 4',
      },
    ],
  };
}
