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

/** Effort of every derived item until a person estimates it. */
export const DEFAULT_EFFORT = 3;
const money = (v: number, currency: string) =>
  `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;

/**
 * A reliability item's scores, derived from numbers rather than set by hand:
 *
 *   user impact      = 1 + 2·log10(1 + value at risk per hour), +1 for tier 1, −1 for tier 3
 *                      (5 when value at risk cannot be estimated)
 *   system risk      = 8 if critical else 5, +2 when the model blocks adoption
 *   time criticality = max(7 if critical else 5, 3 + 1.5·log10(1 + cost of delay so far)):
 *                      severity sets how urgent an incident is from its first hour, money can
 *                      only raise it
 *   effort DEFAULT_EFFORT (the same for every derived item until a person estimates it, so an
 *   unknown effort never decides which item ranks first), confidence 0.8 with a profile and a
 *   status, else 0.5
 *
 * each clamped to 1–10 and rounded to a whole number (half up) before the priority formula; every
 * score comes with the inputs that gave it. The log scale is deliberate: value at risk spans
 * several orders of magnitude across models, and each tenfold step adds 2 points.
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
  const floor = i.severity === 'critical' ? 7 : 5;
  const byCost = i.costOfDelay === null ? null : 3 + 1.5 * Math.log10(1 + i.costOfDelay);
  const timeCriticality = clamp(byCost === null ? floor : Math.max(floor, byCost));
  const estimated = i.valueAtRiskPerHour !== null;
  const scores: Scores = {
    userImpact,
    systemRisk,
    timeCriticality,
    effort: DEFAULT_EFFORT,
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
          ? `cost of delay not estimated → ${floor} (${i.severity})`
          : `cost of delay so far ${money(i.costOfDelay, i.currency)} → 3 + 1.5·log10(1 + ${i.costOfDelay}); at least ${floor} (${i.severity})`,
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
 *   user impact = 6 / 4 / 2 for tier 1 / 2 / 3 (4 without a profile), +1 when a request is worth ≥ 0.10
 *   system risk = the check's weight (missing telemetry or labels 6–8, missing paperwork 4–5)
 *   time criticality 5 for tier 1, else 3; effort DEFAULT_EFFORT; confidence 0.6
 *
 * A gap hides losses that may come; an incident is one that is happening. So the scales are set
 * such that no derived gap (at most 0.6 × (7 + 8 + 5) ÷ 3 = 4.0) outranks a critical incident
 * whose value at risk is priced (at least 0.8 × (1 + 8 + 7) ÷ 3 = 4.27), whatever the tier, unless
 * a person overrides the scores.
 */
export function deriveDebtScores(i: {
  check: string;
  tier: Tier | null;
  valuePerRequest: number | null;
  currency: string;
}): { scores: Scores; priorityScore: number; explanation: Explanation[] } {
  const base = i.tier === 1 ? 6 : i.tier === 2 ? 4 : i.tier === 3 ? 2 : 4;
  const valuable = (i.valuePerRequest ?? 0) >= 0.1;
  const scores: Scores = {
    userImpact: clamp(base + (valuable ? 1 : 0)),
    systemRisk: CHECK_RISK[i.check] ?? 5,
    timeCriticality: i.tier === 1 ? 5 : 3,
    effort: DEFAULT_EFFORT,
    confidence: 0.6,
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
        because: i.tier === 1 ? 'tier 1 → 5' : 'not revenue-critical → 3',
      },
    ],
  };
}
