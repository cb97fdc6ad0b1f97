import type { CeremonyRecord } from '../../read-models/ceremonies/ceremonies.repository';
import type { ModelView } from '../../read-models/impact.queries';
import type { Decision } from '../../domain/ceremonies/ceremony.types';
import {
  briefWindow,
  byStake,
  candidatesSection,
  decisionsSection,
  summarySection,
  previousSection,
  trendHorizon,
  valueAtRiskSection,
  type EnrichedItem,
} from './brief-sections';

const ceremony = (c: Partial<CeremonyRecord>): CeremonyRecord => ({
  ceremonyId: 'c',
  title: 'Sprint',
  status: 'scheduled',
  scheduledFor: '2026-03-16T09:00:00.000Z',
  cadenceDays: 14,
  snapshot: null,
  decisions: [],
  allocation: null,
  openedAt: null,
  closedAt: null,
  closingRationale: null,
  facilitator: 'alice',
  version: 1,
  ...c,
});

const item = (i: Partial<EnrichedItem>): EnrichedItem =>
  ({
    itemId: 'i',
    backlog: 'reliability',
    quadrant: 'model-hygiene',
    title: 'Fix',
    status: 'proposed',
    priorityScore: 1,
    scores: {},
    reliability: null,
    lastRationale: null,
    ...i,
  }) as EnrichedItem;

const impact = (amount: number | null) =>
  ({
    currency: 'EUR',
    valueAtRisk: { perHour: 10 },
    costOfDelay: { amount },
    derived: { explanation: [{ subject: 'userImpact', value: 7, because: 'tier 1' }] },
  }) as unknown as EnrichedItem['impact'];

describe('brief sections', () => {
  it('the window starts at the last ceremony closed before this one opened, else 14 days before it', () => {
    const current = ceremony({ ceremonyId: 'now', openedAt: '2026-03-16T09:00:00.000Z' });
    const earlier = ceremony({
      ceremonyId: 'a',
      status: 'closed',
      closedAt: '2026-03-02T10:00:00.000Z',
    });
    const later = ceremony({
      ceremonyId: 'b',
      status: 'closed',
      closedAt: '2026-03-20T10:00:00.000Z',
    });
    expect(briefWindow(current, [earlier, later, current])).toEqual({
      previous: earlier,
      since: '2026-03-02T10:00:00.000Z',
    });
    expect(briefWindow(current, [current])).toEqual({
      previous: null,
      since: '2026-03-02T09:00:00.000Z',
    });
  });

  it("a model's trend covers one cadence of its own event time, up to its latest status", () => {
    const m = { status: { at: '2026-02-15T00:00:00.000Z' } } as ModelView;
    expect(trendHorizon(m, 14, 'unused')).toBe('2026-02-01T00:00:00.000Z');
    expect(trendHorizon({ status: null } as ModelView, 14, 'since')).toBe('since');
  });

  it('candidates: open work per quadrant, highest priority first, explained; done and dropped left out', () => {
    const c = candidatesSection([
      item({ itemId: 'low', priorityScore: 2, impact: impact(1) }),
      item({ itemId: 'high', priorityScore: 9, impact: impact(1) }),
      item({ itemId: 'gone', status: 'done', priorityScore: 10 }),
      item({ itemId: 'hand', quadrant: 'innovation', backlog: 'capability', lastRationale: 'bet' }),
    ]);
    expect(c['model-hygiene'].map((x) => x.itemId)).toEqual(['high', 'low']);
    expect(c['model-hygiene'][0].explanation).toEqual(['userImpact 7: tier 1']);
    expect(c.innovation[0].explanation).toEqual(['scored by hand: bet']);
    expect(c['critical-feature']).toEqual([]);
  });

  it('value at risk: open reliability items only, largest cost of delay first, unknown last', () => {
    const r = (open: boolean) =>
      ({ open, modelId: 'm', rule: 'accuracy' }) as EnrichedItem['reliability'];
    const v = valueAtRiskSection(
      [],
      [
        item({ itemId: 'unknown', reliability: r(true), impact: impact(null) }),
        item({ itemId: 'small', reliability: r(true), impact: impact(5) }),
        item({ itemId: 'big', reliability: r(true), impact: impact(500) }),
        item({ itemId: 'closed', reliability: r(false), impact: impact(900) }),
      ],
    );
    expect(v.items.map((i) => i.itemId)).toEqual(['big', 'small', 'unknown']);
  });

  it('previous decisions: where each item is now and what a deferral has cost since', () => {
    const previous = ceremony({
      status: 'closed',
      decisions: [
        { itemId: 'deferred', decision: 'defer' },
        { itemId: 'missing', decision: 'drop' },
      ] as CeremonyRecord['decisions'],
    });
    const p = previousSection(previous, [
      item({
        itemId: 'deferred',
        title: 'Retrain',
        status: 'deferred',
        reliability: { open: false } as EnrichedItem['reliability'],
        impact: impact(120),
      }),
    ]);
    expect(p?.outcomes).toEqual([
      {
        itemId: 'deferred',
        title: 'Retrain',
        decision: 'defer',
        nowStatus: 'deferred',
        incidentResolved: true,
        costSince: 120,
      },
      {
        itemId: 'missing',
        title: 'missing',
        decision: 'drop',
        nowStatus: 'unknown',
        incidentResolved: null,
        costSince: null,
      },
    ]);
    expect(previousSection(null, [])).toBeNull();
  });

  it('orders models as a ceremony reads them: blocking first, then value at risk, unknown last', () => {
    const m = (modelId: string, blocksAdoption: boolean, perHour: number | null) =>
      ({ modelId, blocksAdoption, valueAtRisk: { perHour } }) as ModelView;
    const sorted = [
      m('a-quiet', false, 1),
      m('b-unknown', false, null),
      m('c-blocking-small', true, 2),
      m('d-rich', false, 50),
      m('e-blocking-big', true, 90),
    ].sort(byStake);
    expect(sorted.map((x) => x.modelId)).toEqual([
      'e-blocking-big',
      'c-blocking-small',
      'd-rich',
      'a-quiet',
      'b-unknown',
    ]);
  });

  describe('the first screen', () => {
    const decision = (d: Partial<Decision>): Decision =>
      ({ decision: 'commit', backlog: 'capability', rationale: '', ...d }) as Decision;
    const items = [
      item({
        itemId: 'rel-big',
        title: 'Retrain fraud',
        scores: { effort: 8 } as EnrichedItem['scores'],
      }),
      item({
        itemId: 'feat',
        title: 'Checkout v2',
        backlog: 'capability',
        scores: { effort: 2 } as EnrichedItem['scores'],
      }),
      item({
        itemId: 'rel-small',
        title: 'Alert on drift',
        scores: { effort: 1 } as EnrichedItem['scores'],
      }),
    ] as EnrichedItem[];
    const sections = {
      health: [
        { modelId: 'fraud', blocksAdoption: true, openIncidents: [{}] },
        { modelId: 'churn', blocksAdoption: false, openIncidents: [{}] },
        { modelId: 'ads', blocksAdoption: false, openIncidents: [] },
      ],
      valueAtRisk: {
        models: [
          { modelId: 'fraud', perHour: 120.5 },
          { modelId: 'churn', perHour: null },
          { modelId: 'ads', perHour: 0 },
        ],
        items: [
          { itemId: 'rel-big', perHour: 100 },
          { itemId: 'rel-small', perHour: 20.5 },
        ],
      },
      allocation: { planned: null, actual: { reliability: 10 }, recommendedReliability: 35 },
      candidates: {
        'model-hygiene': [{ itemId: 'rel-big' }, { itemId: 'rel-small' }],
        'critical-feature': [{ itemId: 'feat' }],
        innovation: [],
        'technical-debt': [],
      },
      previous: {
        title: 'Sprint 21',
        outcomes: [
          { incidentResolved: true, costSince: null },
          { incidentResolved: false, costSince: 40 },
          { incidentResolved: null, costSince: null },
        ],
      },
    } as unknown as Parameters<typeof summarySection>[0];

    it('given nothing decided yet, everything waits and nothing is committed', () => {
      const s = summarySection(sections, [], items);
      expect(s).toEqual({
        models: 3,
        blocking: 1,
        valueAtRiskPerHour: 120.5,
        unestimated: 1,
        reliabilityShare: { recommended: 35, planned: null, actual: 10, committed: null },
        waiting: { items: 3, valueAtRiskPerHour: 120.5 },
        previous: {
          title: 'Sprint 21',
          decisions: 3,
          incidentsResolved: 1,
          incidentsOpen: 1,
          costSince: 40,
        },
      });
    });

    it('when items are committed, the share committed weighs them by effort', () => {
      const decisions = decisionsSection(
        ceremony({
          decisions: [
            decision({ itemId: 'rel-big', backlog: 'reliability' }),
            decision({ itemId: 'feat' }),
            decision({ itemId: 'rel-small', backlog: 'reliability', decision: 'defer' }),
          ],
        }),
        items,
      );
      expect(decisions.map((d) => d.title)).toEqual([
        'Retrain fraud',
        'Checkout v2',
        'Alert on drift',
      ]);
      const s = summarySection(sections, decisions, items);
      expect(s.reliabilityShare.committed).toBe(80); // 8 of 10 effort points
      expect(s.waiting).toEqual({ items: 0, valueAtRiskPerHour: 0 });
    });
  });
});
