import {
  deterministicId,
  eventType,
  RELIABILITY_SCHEMA_ID,
  type ReliabilityEvent,
  type RuleName,
  type Severity,
} from '@fulcrum/contracts';
import type { Verdict } from '../rules/verdict';

/** The one open incident of a (model, rule). Closed incidents leave nothing behind. */
export interface OpenIncident {
  incidentId: string;
  severity: Severity;
  openedWindowEnd: string;
  /** Event time since which the rule has been continuously clear; null while not clear. */
  clearSince: number | null;
  /** An estimated incident whose windows' labels have since shown the breach too. */
  confirmed?: boolean;
}

export interface IncidentContext {
  modelId: string;
  modelVersion: string;
  rule: RuleName;
  /** Event time of this evaluation. */
  at: number;
  cooldownMs: number;
  emittedAt: string;
}

/**
 * Moves one (model, rule) incident through opened → updated (severity change) → resolved and returns
 * the event to emit, if any. Ids derive from model, rule and the opening window only, so replaying
 * the same telemetry yields the same ids. Resolution needs `clear` verdicts for a whole cooldown.
 */
export function trackIncident(
  current: OpenIncident | undefined,
  verdict: Verdict,
  ctx: IncidentContext,
): { next: OpenIncident | undefined; event?: ReliabilityEvent } {
  if (verdict.status === 'unknown') return { next: current };
  if (verdict.status === 'breach') {
    if (!current) {
      const incidentId = deterministicId(
        ctx.modelId,
        ctx.rule,
        verdict.window.start,
        verdict.window.end,
      );
      const next: OpenIncident = {
        incidentId,
        severity: verdict.severity,
        openedWindowEnd: verdict.window.end,
        clearSince: null,
      };
      return {
        next,
        event: incidentEvent(ctx, next, 'opened', verdict, deterministicId(incidentId, 'opened')),
      };
    }
    const next = { ...current, clearSince: null };
    if (current.severity === verdict.severity) return { next };
    next.severity = verdict.severity;
    const id = deterministicId(current.incidentId, 'updated', verdict.severity, verdict.window.end);
    return { next, event: incidentEvent(ctx, next, 'updated', verdict, id) };
  }
  if (!current) return { next: undefined };
  if (verdict.status === 'hold') return { next: { ...current, clearSince: null } };
  const clearSince = current.clearSince ?? ctx.at;
  if (ctx.at - clearSince < ctx.cooldownMs) return { next: { ...current, clearSince } };
  const id = deterministicId(current.incidentId, 'resolved');
  return { next: undefined, event: incidentEvent(ctx, current, 'resolved', verdict, id) };
}

/** The reliability event of one incident transition: the one place its shape is written. */
export function incidentEvent(
  ctx: Omit<IncidentContext, 'cooldownMs'>,
  incident: Pick<OpenIncident, 'incidentId' | 'severity'>,
  transition: 'opened' | 'updated' | 'resolved',
  verdict: Exclude<Verdict, { status: 'unknown' }>,
  eventId: string,
): ReliabilityEvent {
  return {
    schema: RELIABILITY_SCHEMA_ID,
    eventId,
    type: eventType(ctx.rule, transition),
    incidentId: incident.incidentId,
    modelId: ctx.modelId,
    modelVersion: ctx.modelVersion,
    rule: ctx.rule,
    severity: incident.severity,
    observed: verdict.observed,
    threshold: verdict.threshold,
    window: verdict.window,
    evidence: verdict.evidence,
    eventTime: new Date(ctx.at).toISOString(),
    emittedAt: ctx.emittedAt,
  };
}
