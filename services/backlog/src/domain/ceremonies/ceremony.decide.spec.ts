import { specFor } from '../given-when-then.testing';
import {
  recommendedReliabilityShare,
  deviation,
  modelHealth,
} from '../allocation/allocation-policy';
import { decideCeremony, type CeremonyCommand } from './ceremony.decide';
import type { CeremonyEvent } from './ceremony.events';
import { evolveCeremony } from './ceremony.evolve';
import type { CeremonyState, Decision } from './ceremony.types';

const given = specFor<CeremonyState, CeremonyCommand, CeremonyEvent>(
  decideCeremony,
  evolveCeremony,
);
const at = '2026-03-02T09:00:00.000Z';
const scheduled: CeremonyEvent = {
  type: 'CeremonyScheduled',
  data: {
    ceremonyId: 'c1',
    title: 'Sprint 12',
    scheduledFor: at,
    cadenceDays: 14,
    facilitator: 'pm',
    at,
  },
};
const opened: CeremonyEvent = {
  type: 'CeremonyOpened',
  data: {
    snapshot: { takenAt: at, models: [], recommendedReliabilityShare: 30, blockingModels: 1 },
    at,
  },
};
const allocation = (
  reliability: number,
  deviationRationale: string | null = null,
): CeremonyEvent => ({
  type: 'CeremonyAllocationSet',
  data: {
    byBacklog: { capability: 100 - reliability, reliability },
    byQuadrant: {
      'critical-feature': 100 - reliability - 10,
      innovation: 10,
      'model-hygiene': reliability,
      'technical-debt': 0,
    },
    deviationRationale,
    at,
  },
});
const decision = (p: Partial<Decision>): Decision => ({
  itemId: 'i1',
  decision: 'commit',
  rationale: '',
  backlog: 'reliability',
  quadrant: 'model-hygiene',
  criticalReliability: true,
  decidedBy: 'pm',
  at,
  ...p,
});
const close: CeremonyCommand = { type: 'CloseCeremony', rationale: 'agreed', at };

describe('joint prioritization ceremony', () => {
  it('is scheduled, opened with a health snapshot, and closed once the allocation adds up', () => {
    given([])
      .when({ type: 'ScheduleCeremony', ...scheduled.data })
      .then([scheduled]);
    given([scheduled])
      .when({ type: 'OpenCeremony', ...opened.data, otherOpen: null })
      .then([opened]);
    given([scheduled, opened, allocation(40)])
      .when(close)
      .then([{ type: 'CeremonyClosed', data: { rationale: 'agreed', at } }]);
  });

  it('refuses scheduling twice, opening twice and deciding before it opens', () => {
    given([scheduled])
      .when({ type: 'ScheduleCeremony', ...scheduled.data })
      .thenRejects('ceremony-exists');
    given([scheduled, opened])
      .when({ type: 'OpenCeremony', ...opened.data, otherOpen: null })
      .thenRejects('ceremony-not-scheduled');
    given([scheduled])
      .when({ type: 'RecordDecision', decision: decision({}) })
      .thenRejects('ceremony-not-open');
    given([])
      .when({ type: 'OpenCeremony', ...opened.data, otherOpen: null })
      .thenRejects('ceremony-not-found');
  });

  it('refuses opening while another ceremony is open, naming it', () => {
    given([scheduled])
      .when({
        type: 'OpenCeremony',
        ...opened.data,
        otherOpen: { ceremonyId: 'c-sprint-13', title: 'Sprint 13' },
      })
      .thenRejects('another-ceremony-open');
  });

  it('requires a rationale to defer or drop', () => {
    given([scheduled, opened])
      .when({ type: 'RecordDecision', decision: decision({ decision: 'defer' }) })
      .thenRejects('rationale-required');
    given([scheduled, opened])
      .when({
        type: 'RecordDecision',
        decision: decision({ decision: 'defer', rationale: 'launch first' }),
      })
      .then([
        {
          type: 'CeremonyDecisionRecorded',
          data: decision({ decision: 'defer', rationale: 'launch first' }),
        },
      ]);
  });

  it('refuses an allocation outside 0-100', () => {
    const bad = allocation(40).data as Extract<
      CeremonyEvent,
      { type: 'CeremonyAllocationSet' }
    >['data'];
    given([scheduled, opened])
      .when({
        type: 'SetAllocation',
        allocation: { ...bad, byBacklog: { capability: 160, reliability: -60 } },
        at,
      })
      .thenRejects('allocation-out-of-range');
  });

  it('refuses, when it is written, an allocation that could never close, naming each wrong sum', () => {
    const ok = allocation(40).data as Extract<
      CeremonyEvent,
      { type: 'CeremonyAllocationSet' }
    >['data'];
    const when = (a: typeof ok) =>
      given([scheduled, opened]).when({ type: 'SetAllocation', allocation: a, at });
    // The case: shares summing to 110 % per backlog.
    when({ ...ok, byBacklog: { capability: 70, reliability: 40 } }).thenRejects(
      'allocation-does-not-sum',
    );
    let refusal: unknown;
    try {
      decideCeremony(
        [scheduled, opened].reduce<CeremonyState | null>((st, e) => evolveCeremony(st, e), null),
        {
          type: 'SetAllocation',
          allocation: {
            ...ok,
            byBacklog: { capability: 70, reliability: 40 },
            byQuadrant: { ...ok.byQuadrant, innovation: 0 },
          },
          at,
        },
      );
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      code: 'allocation-does-not-sum',
      details: {
        problems: [
          'allocation per backlog sums to 110 %, not 100 %',
          'allocation per quadrant sums to 90 %, not 100 %',
        ],
      },
    });
    when(ok).then([{ type: 'CeremonyAllocationSet', data: { ...ok, at } }]);
  });

  it('cannot close without an allocation, or with one not summing to 100 % (events written before the check)', () => {
    given([scheduled, opened]).when(close).thenRejects('ceremony-cannot-close');
    const skewed: CeremonyEvent = {
      type: 'CeremonyAllocationSet',
      data: {
        byBacklog: { capability: 50, reliability: 40 },
        byQuadrant: {
          'critical-feature': 50,
          innovation: 0,
          'model-hygiene': 40,
          'technical-debt': 10,
        },
        deviationRationale: null,
        at,
      },
    };
    given([scheduled, opened, skewed]).when(close).thenRejects('ceremony-cannot-close');
  });

  it('cannot close below the recommended reliability share without saying why', () => {
    given([scheduled, opened, allocation(20)])
      .when(close)
      .thenRejects('ceremony-cannot-close');
    given([scheduled, opened, allocation(20, 'regulatory launch this sprint')])
      .when(close)
      .then([{ type: 'CeremonyClosed', data: { rationale: 'agreed', at } }]);
  });

  it('refuses a closed ceremony any further decision', () => {
    given([
      scheduled,
      opened,
      allocation(40),
      { type: 'CeremonyClosed', data: { rationale: null, at } },
    ])
      .when({ type: 'RecordDecision', decision: decision({}) })
      .thenRejects('ceremony-not-open');
  });
});

describe('allocation policy', () => {
  it('recommends the base share plus 10 points per blocking model, capped at 60 %', () => {
    expect(recommendedReliabilityShare(0)).toBe(20);
    expect(recommendedReliabilityShare(2)).toBe(40);
    expect(recommendedReliabilityShare(9)).toBe(60);
    expect(deviation(25, 40)).toBe(-15);
  });

  it('scores model health 1 / 0.5 / 0', () => {
    expect(modelHealth([])).toBe(1);
    expect(modelHealth([{ severity: 'warning', blocksAdoption: false }])).toBe(0.5);
    expect(modelHealth([{ severity: 'warning', blocksAdoption: true }])).toBe(0);
  });
});
