import { DomainError } from '../domain-error';
import { BACKLOGS, QUADRANTS } from '../items/item.types';
import type { CeremonyEvent } from './ceremony.events';
import type { Allocation, CeremonySnapshot, CeremonyState, Decision } from './ceremony.types';

export type CeremonyCommand =
  | {
      type: 'ScheduleCeremony';
      ceremonyId: string;
      title: string;
      scheduledFor: string;
      cadenceDays: number;
      facilitator: string;
      at: string;
    }
  | {
      type: 'OpenCeremony';
      snapshot: CeremonySnapshot;
      at: string;
      /** Another ceremony that is open now, if any: the team decides in one ceremony at a time. */
      otherOpen: { ceremonyId: string; title: string } | null;
    }
  | { type: 'RecordDecision'; decision: Decision }
  | { type: 'SetAllocation'; allocation: Allocation; at: string }
  | { type: 'CloseCeremony'; rationale: string | null; at: string };

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/**
 * The joint prioritization ceremony: scheduled → opened (health snapshot) → decisions and the
 * capacity allocation → closed. Closing enforces the documented trade-offs: allocations sum to 100 %,
 * every deferred critical reliability item has a rationale, and a reliability share below the
 * recommendation says why.
 */
export function decideCeremony(
  state: CeremonyState | null,
  command: CeremonyCommand,
): CeremonyEvent[] {
  if (command.type === 'ScheduleCeremony') {
    if (state)
      throw new DomainError('ceremony-exists', `ceremony ${command.ceremonyId} already exists`);
    const { type: _type, ...data } = command;
    return [{ type: 'CeremonyScheduled', data }];
  }
  if (!state) throw new DomainError('ceremony-not-found', 'the ceremony does not exist');
  switch (command.type) {
    case 'OpenCeremony':
      if (state.status !== 'scheduled')
        throw new DomainError(
          'ceremony-not-scheduled',
          `ceremony is ${state.status}; only a scheduled ceremony can be opened`,
        );
      if (command.otherOpen)
        throw new DomainError(
          'another-ceremony-open',
          `ceremony ${command.otherOpen.ceremonyId} ("${command.otherOpen.title}") is open; close it before opening another`,
        );
      return [{ type: 'CeremonyOpened', data: { snapshot: command.snapshot, at: command.at } }];
    case 'RecordDecision': {
      requireOpen(state);
      const d = command.decision;
      if (d.decision !== 'commit' && d.rationale.trim().length === 0) {
        throw new DomainError(
          'rationale-required',
          `deciding to ${d.decision} item ${d.itemId} needs a rationale`,
        );
      }
      return [{ type: 'CeremonyDecisionRecorded', data: d }];
    }
    case 'SetAllocation': {
      requireOpen(state);
      const a = command.allocation;
      for (const [name, value] of [
        ...Object.entries(a.byBacklog),
        ...Object.entries(a.byQuadrant),
      ]) {
        if (!(value >= 0 && value <= 100))
          throw new DomainError(
            'allocation-out-of-range',
            `allocation for ${name} must be between 0 and 100; got ${value}`,
          );
      }
      // An allocation that could never close is refused when it is written, not at closing.
      const problems = sumProblems(a);
      if (problems.length)
        throw new DomainError(
          'allocation-does-not-sum',
          `the allocation cannot be closed: ${problems.join('; ')}`,
          { problems },
        );
      return [{ type: 'CeremonyAllocationSet', data: { ...a, at: command.at } }];
    }
    case 'CloseCeremony': {
      requireOpen(state);
      const problems: string[] = [];
      const a = state.allocation;
      if (!a) {
        problems.push('no capacity allocation was set');
      } else {
        problems.push(...sumProblems(a));
        const recommended = state.snapshot?.recommendedReliabilityShare ?? 0;
        if (a.byBacklog.reliability < recommended && !a.deviationRationale?.trim()) {
          problems.push(
            `the reliability share ${a.byBacklog.reliability} % is below the recommended ${recommended} % and no deviation rationale was given`,
          );
        }
      }
      const latest = latestDecisions(state.decisions);
      const unexplained = latest.filter(
        (d) => d.decision === 'defer' && d.criticalReliability && d.rationale.trim().length === 0,
      );
      if (unexplained.length)
        problems.push(
          `deferred critical reliability items without a rationale: ${unexplained.map((d) => d.itemId).join(', ')}`,
        );
      if (problems.length)
        throw new DomainError(
          'ceremony-cannot-close',
          `the ceremony cannot close: ${problems.join('; ')}`,
          { problems },
        );
      return [{ type: 'CeremonyClosed', data: { rationale: command.rationale, at: command.at } }];
    }
  }
}

/** Each of the two sums (per backlog, per quadrant) that is not 100 %, in words. */
function sumProblems(a: Allocation): string[] {
  const problems: string[] = [];
  const backlogSum = sum(a.byBacklog);
  const quadrantSum = sum(a.byQuadrant);
  if (Math.abs(backlogSum - 100) > 1e-9)
    problems.push(`allocation per backlog sums to ${round(backlogSum)} %, not 100 %`);
  if (Math.abs(quadrantSum - 100) > 1e-9)
    problems.push(`allocation per quadrant sums to ${round(quadrantSum)} %, not 100 %`);
  return problems;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** The last decision per item wins (a ceremony may revisit an item). */
export function latestDecisions(decisions: Decision[]): Decision[] {
  return [...new Map(decisions.map((d) => [d.itemId, d])).values()];
}

function requireOpen(state: CeremonyState): void {
  if (state.status !== 'open')
    throw new DomainError(
      'ceremony-not-open',
      `ceremony is ${state.status}; decisions need an open ceremony`,
    );
}

export const ALL_BACKLOGS = BACKLOGS;
export const ALL_QUADRANTS = QUADRANTS;
