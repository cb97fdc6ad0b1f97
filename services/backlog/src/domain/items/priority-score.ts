import type { Scores } from './item.types';

/**
 * WSJF-like priority: confidence × cost of delay ÷ effort, where cost of delay = user impact +
 * system risk + time criticality (each 1-10, as in SAFe's WSJF) and effort is in points (1-100).
 * Rounded to two decimals. Example: impact 8, risk 6, urgency 5, effort 5, confidence 0.8 →
 * 0.8 × 19 / 5 = 3.04.
 */
export function priorityScore(s: Scores): number {
  const costOfDelay = s.userImpact + s.systemRisk + s.timeCriticality;
  return Math.round(((s.confidence * costOfDelay) / s.effort) * 100) / 100;
}
