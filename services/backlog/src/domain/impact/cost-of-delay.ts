import type { ModelStatus, RuleName } from '@fulcrum/contracts';
import type { ModelProfile } from '../models/model-profile.types';
import { round2, valueAtRisk } from './value-at-risk';

const HOUR = 3_600_000;

/**
 * Cost of delay: the value at risk accumulated while a reliability item is open and not yet
 * committed — an hourly integral over the model's status history. Each stored hour contributes its
 * own value at risk for one hour (its last status describes the hour before it). Hours with no
 * status contribute nothing (no traffic was reported).
 */
export function costOfDelay(
  history: { hour: string; status: Pick<ModelStatus, 'lastHour' | 'accuracy'> }[],
  rule: RuleName,
  profile: Pick<ModelProfile, 'expectedAccuracy' | 'valuePerRequest'> | null,
  from: string,
  until: string,
): { amount: number | null; hours: number } {
  if (!profile) return { amount: null, hours: 0 };
  const start = Math.floor(Date.parse(from) / HOUR) * HOUR;
  const end = Date.parse(until);
  let amount = 0;
  let hours = 0;
  let estimated = false;
  for (const h of history) {
    const t = Date.parse(h.hour);
    if (t < start || t >= end) continue;
    const v = valueAtRisk(rule, h.status, profile);
    hours++;
    if (v.perHour === null) continue;
    estimated = true;
    amount += v.perHour;
  }
  return { amount: estimated || hours === 0 ? round2(amount) : null, hours };
}

/** What deferring costs until the next ceremony at the current rate: rate × hours until then. */
export function projectedDeferCost(
  perHour: number | null,
  decidedAt: string,
  nextCeremonyAt: string,
): { perHour: number | null; hours: number; amount: number | null } {
  const hours = Math.max(0, (Date.parse(nextCeremonyAt) - Date.parse(decidedAt)) / HOUR);
  return {
    perHour,
    hours: Math.round(hours * 10) / 10,
    amount: perHour === null ? null : round2(perHour * hours),
  };
}
