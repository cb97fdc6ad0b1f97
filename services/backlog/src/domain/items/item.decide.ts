import { transitionOf, type ReliabilityEvent } from '@fulcrum/contracts';
import { reliabilityItemId } from './item-id';
import { DomainError } from '../domain-error';
import type { ItemEvent } from './item.events';
import type { Backlog, ItemState, ItemStatus, Proposal, Quadrant, Scores } from './item.types';

export type ItemCommand =
  | (Proposal & { type: 'ProposeItem'; itemId: string; at: string })
  | { type: 'RescoreItem'; scores: Scores; rationale: string; at: string }
  | {
      type: 'ChangeItemStatus';
      to: ItemStatus;
      rationale: string;
      ceremonyId: string | null;
      at: string;
    }
  | { type: 'RecordReliabilitySignal'; event: ReliabilityEvent; at: string }
  | {
      type: 'RecordAuditVerdict';
      itemId: string;
      modelId: string;
      check: string;
      failing: boolean;
      evidence: Record<string, unknown>;
      remedy: string;
      at: string;
    };

/** Which quadrants belong to which backlog (the seed's two backlogs and four quadrants). */
export const QUADRANT_BACKLOG: Record<Quadrant, Backlog> = {
  'critical-feature': 'capability',
  innovation: 'capability',
  'model-hygiene': 'reliability',
  'technical-debt': 'reliability',
};

export const TRANSITIONS: Record<ItemStatus, ItemStatus[]> = {
  proposed: ['ready', 'committed', 'deferred', 'dropped'],
  ready: ['committed', 'deferred', 'dropped'],
  committed: ['in-progress', 'deferred', 'dropped'],
  'in-progress': ['done', 'deferred', 'dropped'],
  deferred: ['ready', 'committed', 'dropped'],
  done: [],
  dropped: [],
};

/**
 * Accuracy under the model's own threshold or a paging (critical) error-budget burn blocks adoption
 * of the model. The threshold is the one ingestion judged by (the event's `threshold`, from the
 * rules file), so a model held to 0.90 blocks at 0.88 in both services.
 */
export function blocksAdoption(e: ReliabilityEvent): boolean {
  // An estimate below the line blocks too (that is what it is for: hours before the labels), and
  // its items say "estimated"; labels that refute it resolve it.
  if (e.rule === 'accuracy' || e.rule === 'accuracy_estimated')
    return transitionOf(e.type) !== 'resolved' && e.observed < e.threshold;
  if (e.rule === 'error_budget') return e.severity === 'critical';
  return false;
}

/** Scores of an item opened from an incident: risk and urgency follow severity, impact follows blocking. */
export function reliabilityScores(e: ReliabilityEvent): Scores {
  const critical = e.severity === 'critical';
  return {
    userImpact: blocksAdoption(e) ? 9 : 5,
    systemRisk: critical ? 10 : 7,
    timeCriticality: critical ? 9 : 6,
    effort: 5,
    confidence: 0.8,
  };
}

export function decideItem(state: ItemState | null, command: ItemCommand): ItemEvent[] {
  switch (command.type) {
    case 'ProposeItem': {
      if (state) throw new DomainError('item-exists', `item ${command.itemId} already exists`);
      if (QUADRANT_BACKLOG[command.quadrant] !== command.backlog) {
        throw new DomainError(
          'quadrant-mismatch',
          `quadrant ${command.quadrant} belongs to the ${QUADRANT_BACKLOG[command.quadrant]} backlog, not ${command.backlog}`,
        );
      }
      const { type: _type, ...data } = command;
      return [{ type: 'ItemProposed', data }];
    }
    case 'RescoreItem': {
      const item = existing(state);
      if (item.status === 'done' || item.status === 'dropped')
        throw new DomainError(
          'item-closed',
          `item ${item.itemId} is ${item.status} and can no longer be rescored`,
        );
      return [
        {
          type: 'ItemRescored',
          data: {
            scores: command.scores,
            rationale: command.rationale,
            at: command.at,
            override: true,
          },
        },
      ];
    }
    case 'ChangeItemStatus': {
      const item = existing(state);
      if (!TRANSITIONS[item.status].includes(command.to)) {
        throw new DomainError(
          'invalid-transition',
          `item ${item.itemId} cannot go from ${item.status} to ${command.to}; allowed: ${TRANSITIONS[item.status].join(', ') || 'none (terminal)'}`,
        );
      }
      return [
        {
          type: 'ItemStatusChanged',
          data: {
            from: item.status,
            to: command.to,
            rationale: command.rationale,
            ceremonyId: command.ceremonyId,
            at: command.at,
          },
        },
      ];
    }
    case 'RecordReliabilitySignal':
      return decideReliabilitySignal(state, command.event, command.at);
    case 'RecordAuditVerdict':
      return decideAuditVerdict(state, command);
  }
}

/**
 * The audit's verdict on one (model, check): a failing check opens one technical-debt item (or
 * reopens it, visibly, when it had passed); a passing check resolves it — recorded, never deleted.
 * The same verdict again changes nothing, so redelivered and replayed statuses open nothing twice.
 */
function decideAuditVerdict(
  state: ItemState | null,
  c: Extract<ItemCommand, { type: 'RecordAuditVerdict' }>,
): ItemEvent[] {
  const data = {
    modelId: c.modelId,
    check: c.check,
    evidence: c.evidence,
    remedy: c.remedy,
    at: c.at,
  };
  if (!state) {
    if (!c.failing) return [];
    return [
      {
        type: 'ItemProposed',
        data: {
          itemId: c.itemId,
          backlog: 'reliability',
          quadrant: 'technical-debt',
          title: `${c.check.replace(/-/g, ' ')} — ${c.modelId}`,
          description: `Opened by the technical-debt audit: check ${c.check} fails for ${c.modelId}. ${c.remedy}`,
          linkedModels: [c.modelId],
          scores: { userImpact: 5, systemRisk: 5, timeCriticality: 4, effort: 3, confidence: 0.7 },
          rationale: 'technical-debt audit',
          at: c.at,
        },
      },
      { type: 'AuditGapOpened', data },
    ];
  }
  const open = state.audit?.open ?? false;
  if (c.failing === open) return [];
  if (!c.failing) return [{ type: 'AuditGapResolved', data }];
  const events: ItemEvent[] = [{ type: 'AuditGapReopened', data }];
  if (state.status === 'done' || state.status === 'dropped')
    events.push({
      type: 'ItemStatusChanged',
      data: {
        from: state.status,
        to: 'proposed',
        rationale: `the ${c.check} gap is back`,
        ceremonyId: null,
        at: c.at,
      },
    });
  return events;
}

/**
 * Reliability intake: one model-hygiene item per incident, opened on the first event seen (even a
 * late `resolved`), escalated on severity changes, resolution recorded, duplicates ignored.
 */
function decideReliabilitySignal(
  state: ItemState | null,
  e: ReliabilityEvent,
  at: string,
): ItemEvent[] {
  if (state?.reliability?.eventIds.includes(e.eventId)) return [];
  if (state && state.reliability?.incidentId !== e.incidentId) {
    throw new DomainError('incident-mismatch', `item ${state.itemId} tracks another incident`);
  }
  const events: ItemEvent[] = [];
  if (!state) {
    events.push({
      type: 'ItemProposed',
      data: {
        itemId: reliabilityItemId(e.incidentId),
        backlog: 'reliability',
        quadrant: 'model-hygiene',
        title: `${e.rule.replace('_', ' ')} incident on ${e.modelId}`,
        description:
          `Opened automatically from reliability event ${e.eventId}: ${e.rule} observed ${e.observed} against threshold ${e.threshold} over ${e.window.start} – ${e.window.end}.` +
          (e.rule === 'accuracy_estimated'
            ? ' Estimated from the model’s scores before labels arrive (confidence-based performance estimation); the labels for this window will confirm or refute it.'
            : ''),
        linkedModels: [e.modelId],
        scores: reliabilityScores(e),
        rationale: 'reliability intake',
        at,
      },
    });
  }
  if (transitionOf(e.type) === 'resolved') {
    events.push({ type: 'ReliabilityIncidentResolved', data: { event: e, at } });
    return events;
  }
  events.push({
    type: 'ReliabilitySignalRecorded',
    data: { event: e, blocksAdoption: blocksAdoption(e), at },
  });
  if (
    state?.reliability &&
    state.reliability.severity !== e.severity &&
    state.status !== 'done' &&
    state.status !== 'dropped'
  ) {
    events.push({
      type: 'ItemRescored',
      data: { scores: reliabilityScores(e), rationale: `severity changed to ${e.severity}`, at },
    });
  }
  return events;
}

function existing(state: ItemState | null): ItemState {
  if (!state) throw new DomainError('item-not-found', 'the item does not exist');
  return state;
}

export { reliabilityItemId };
