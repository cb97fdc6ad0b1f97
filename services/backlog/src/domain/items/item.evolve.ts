import type { ItemEvent } from './item.events';
import type { ItemState } from './item.types';
import { priorityScore } from './priority-score';
import { unknownEvent } from '../unknown-event';

/** Folds one event into the item. Pure and total over the known event types. */
export function evolveItem(state: ItemState | null, event: ItemEvent): ItemState {
  if (event.type === 'ItemProposed') {
    const d = event.data;
    return {
      itemId: d.itemId,
      backlog: d.backlog,
      quadrant: d.quadrant,
      title: d.title,
      description: d.description,
      linkedModels: d.linkedModels,
      scores: d.scores,
      priorityScore: priorityScore(d.scores),
      status: 'proposed',
      reliability: null,
      createdAt: d.at,
      updatedAt: d.at,
      lastRationale: d.rationale,
    };
  }
  if (!state) throw new Error(`${event.type} before ItemProposed`);
  switch (event.type) {
    case 'ItemRescored':
      return {
        ...state,
        scores: event.data.scores,
        priorityScore: priorityScore(event.data.scores),
        updatedAt: event.data.at,
        lastRationale: event.data.rationale,
        ...(event.data.override
          ? { scoresOverride: { rationale: event.data.rationale, at: event.data.at } }
          : {}),
      };
    case 'ItemStatusChanged':
      return {
        ...state,
        status: event.data.to,
        updatedAt: event.data.at,
        lastRationale: event.data.rationale,
        ...(event.data.to === 'committed' && !state.committedAt
          ? { committedAt: event.data.at }
          : {}),
      };
    case 'ReliabilitySignalRecorded': {
      const e = event.data.event;
      const previous = state.reliability;
      return {
        ...state,
        updatedAt: event.data.at,
        reliability: {
          incidentId: e.incidentId,
          modelId: e.modelId,
          rule: e.rule,
          severity: e.severity,
          observed: e.observed,
          threshold: e.threshold,
          blocksAdoption:
            event.data.blocksAdoption || (previous?.open === true && previous.blocksAdoption),
          open: previous ? previous.open || previous.resolvedAt === null : true,
          openedAt: previous?.openedAt ?? e.eventTime,
          resolvedAt: previous?.resolvedAt ?? null,
          eventIds: [...(previous?.eventIds ?? []), e.eventId],
        },
      };
    }
    case 'ReliabilityIncidentResolved': {
      const e = event.data.event;
      const previous = state.reliability;
      return {
        ...state,
        updatedAt: event.data.at,
        reliability: {
          incidentId: e.incidentId,
          modelId: e.modelId,
          rule: e.rule,
          severity: previous?.severity ?? e.severity,
          observed: e.observed,
          threshold: e.threshold,
          blocksAdoption: false,
          open: false,
          openedAt: previous?.openedAt ?? e.eventTime,
          resolvedAt: e.eventTime,
          eventIds: [...(previous?.eventIds ?? []), e.eventId],
        },
      };
    }
    case 'AuditGapOpened':
    case 'AuditGapResolved':
    case 'AuditGapReopened': {
      const d = event.data;
      const previous = state.audit;
      const open = event.type !== 'AuditGapResolved';
      return {
        ...state,
        updatedAt: d.at,
        audit: {
          modelId: d.modelId,
          check: d.check,
          open,
          openedAt: previous?.openedAt ?? d.at,
          resolvedAt: open ? null : d.at,
          reopened: (previous?.reopened ?? 0) + (event.type === 'AuditGapReopened' ? 1 : 0),
          evidence: d.evidence,
          remedy: d.remedy,
        },
      };
    }
    default:
      return unknownEvent(event);
  }
}
