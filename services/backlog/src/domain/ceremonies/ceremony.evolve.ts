import type { CeremonyEvent } from './ceremony.events';
import type { CeremonyState } from './ceremony.types';
import { unknownEvent } from '../unknown-event';

export function evolveCeremony(state: CeremonyState | null, event: CeremonyEvent): CeremonyState {
  if (event.type === 'CeremonyScheduled') {
    const d = event.data;
    return {
      ceremonyId: d.ceremonyId,
      title: d.title,
      status: 'scheduled',
      scheduledFor: d.scheduledFor,
      cadenceDays: d.cadenceDays,
      snapshot: null,
      decisions: [],
      allocation: null,
      openedAt: null,
      closedAt: null,
      closingRationale: null,
      facilitator: d.facilitator,
    };
  }
  if (!state) throw new Error(`${event.type} before CeremonyScheduled`);
  switch (event.type) {
    case 'CeremonyOpened':
      return { ...state, status: 'open', snapshot: event.data.snapshot, openedAt: event.data.at };
    case 'CeremonyDecisionRecorded':
      return { ...state, decisions: [...state.decisions, event.data] };
    case 'CeremonyAllocationSet': {
      const { at: _at, ...allocation } = event.data;
      return { ...state, allocation };
    }
    case 'CeremonyClosed':
      return {
        ...state,
        status: 'closed',
        closedAt: event.data.at,
        closingRationale: event.data.rationale,
      };
    default:
      return unknownEvent(event);
  }
}
