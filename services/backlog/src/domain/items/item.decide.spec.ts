import type { ReliabilityEvent } from '@fulcrum/contracts';
import { specFor } from '../given-when-then.testing';
import { decideItem, reliabilityItemId, reliabilityScores, type ItemCommand } from './item.decide';
import type { ItemEvent } from './item.events';
import { evolveItem } from './item.evolve';
import type { ItemState } from './item.types';
import { priorityScore } from './priority-score';

const given = specFor<ItemState, ItemCommand, ItemEvent>(decideItem, evolveItem);
const at = '2026-03-01T10:00:00.000Z';
const scores = { userImpact: 8, systemRisk: 6, timeCriticality: 5, effort: 5, confidence: 0.8 };
const proposed: ItemEvent = {
  type: 'ItemProposed',
  data: {
    itemId: 'i1',
    backlog: 'capability',
    quadrant: 'critical-feature',
    title: 'Export',
    description: 'CSV export',
    linkedModels: [],
    scores,
    rationale: null,
    at,
  },
};
const status = (from: ItemEvent['data'] extends never ? never : string, to: string): ItemEvent =>
  ({
    type: 'ItemStatusChanged',
    data: { from, to, rationale: 'r', ceremonyId: null, at },
  }) as ItemEvent;

function reliabilityEvent(p: Partial<ReliabilityEvent> = {}): ReliabilityEvent {
  return {
    schema: 'fulcrum.reliability/v1',
    eventId: '00000000-0000-5000-8000-000000000001',
    type: 'accuracy.opened',
    incidentId: '00000000-0000-5000-8000-0000000000aa',
    modelId: 'fraud',
    modelVersion: 'v3',
    rule: 'accuracy',
    severity: 'warning',
    observed: 0.83,
    threshold: 0.85,
    window: { start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T10:00:00.000Z' },
    evidence: {},
    eventTime: '2026-03-01T10:00:00.000Z',
    emittedAt: '2026-03-01T10:00:01.000Z',
    ...p,
  };
}

describe('backlog item', () => {
  it('priority score is confidence x (impact + risk + urgency) / effort', () => {
    expect(priorityScore(scores)).toBe(3.04);
    expect(priorityScore({ ...scores, effort: 1, confidence: 1 })).toBe(19);
  });

  it('is proposed into a backlog and quadrant', () => {
    given([])
      .when({ type: 'ProposeItem', ...proposed.data })
      .then([proposed]);
  });

  it('refuses a quadrant from the other backlog', () => {
    given([])
      .when({ type: 'ProposeItem', ...proposed.data, quadrant: 'model-hygiene' })
      .thenRejects('quadrant-mismatch');
  });

  it('refuses proposing twice', () => {
    given([proposed])
      .when({ type: 'ProposeItem', ...proposed.data })
      .thenRejects('item-exists');
  });

  it('moves through its lifecycle with rationale', () => {
    given([proposed])
      .when({ type: 'ChangeItemStatus', to: 'ready', rationale: 'groomed', ceremonyId: null, at })
      .then([
        {
          type: 'ItemStatusChanged',
          data: { from: 'proposed', to: 'ready', rationale: 'groomed', ceremonyId: null, at },
        },
      ]);
  });

  it('refuses a transition the lifecycle does not allow', () => {
    given([proposed])
      .when({ type: 'ChangeItemStatus', to: 'done', rationale: 'x', ceremonyId: null, at })
      .thenRejects('invalid-transition');
    given([proposed, status('proposed', 'dropped')])
      .when({ type: 'ChangeItemStatus', to: 'ready', rationale: 'x', ceremonyId: null, at })
      .thenRejects('invalid-transition');
  });

  it('refuses commands on an item that does not exist', () => {
    given([])
      .when({ type: 'RescoreItem', scores, rationale: 'x', at })
      .thenRejects('item-not-found');
  });

  it('refuses rescoring a closed item', () => {
    given([proposed, status('proposed', 'dropped')])
      .when({ type: 'RescoreItem', scores, rationale: 'x', at })
      .thenRejects('item-closed');
  });
});

describe('reliability intake', () => {
  const opened = reliabilityEvent();
  const id = reliabilityItemId(opened.incidentId);

  it('opens one model-hygiene item per incident, blocking adoption below 0.85 accuracy', () => {
    const events = decideItem(null, { type: 'RecordReliabilitySignal', event: opened, at });
    expect(events.map((e) => e.type)).toEqual(['ItemProposed', 'ReliabilitySignalRecorded']);
    const state = events.reduce<ItemState | null>(evolveItem, null)!;
    expect(state).toMatchObject({
      itemId: id,
      backlog: 'reliability',
      quadrant: 'model-hygiene',
      linkedModels: ['fraud'],
      status: 'proposed',
    });
    expect(state.reliability).toMatchObject({
      open: true,
      blocksAdoption: true,
      severity: 'warning',
    });
  });

  it("blocks adoption below the model's own accuracy threshold from the rules file, not 0.85", () => {
    // A rules file holds this model to 0.90: ingestion opened the incident at 0.88.
    const strict = reliabilityEvent({ observed: 0.88, threshold: 0.9 });
    const events = decideItem(null, { type: 'RecordReliabilitySignal', event: strict, at });
    expect(events.reduce<ItemState | null>(evolveItem, null)!.reliability!.blocksAdoption).toBe(
      true,
    );
  });

  it('opens an item for an estimated accuracy incident that blocks adoption and says it is estimated', () => {
    const estimated = reliabilityEvent({
      type: 'accuracy_estimated.opened',
      rule: 'accuracy_estimated',
      observed: 0.81,
      evidence: { basis: 'estimated', predictions: 5000 },
    });
    const state = decideItem(null, {
      type: 'RecordReliabilitySignal',
      event: estimated,
      at,
    }).reduce<ItemState | null>(evolveItem, null)!;
    expect(state.title).toBe('accuracy estimated incident on fraud');
    expect(state.description).toMatch(/Estimated from the model’s scores before labels arrive/);
    expect(state.reliability).toMatchObject({ rule: 'accuracy_estimated', blocksAdoption: true });
  });

  it('ignores an event id it has already recorded', () => {
    const history = decideItem(null, { type: 'RecordReliabilitySignal', event: opened, at });
    given(history).when({ type: 'RecordReliabilitySignal', event: opened, at }).then([]);
  });

  it('escalates on a severity change and rescores', () => {
    const history = decideItem(null, { type: 'RecordReliabilitySignal', event: opened, at });
    const updated = reliabilityEvent({
      eventId: '00000000-0000-5000-8000-000000000002',
      type: 'accuracy.updated',
      severity: 'critical',
      observed: 0.7,
    });
    given(history)
      .when({ type: 'RecordReliabilitySignal', event: updated, at })
      .then([
        { type: 'ReliabilitySignalRecorded', data: { event: updated, blocksAdoption: true, at } },
        {
          type: 'ItemRescored',
          data: {
            scores: reliabilityScores(updated),
            rationale: 'severity changed to critical',
            at,
          },
        },
      ]);
  });

  it('records the resolution without deleting the item', () => {
    const history = decideItem(null, { type: 'RecordReliabilitySignal', event: opened, at });
    const resolved = reliabilityEvent({
      eventId: '00000000-0000-5000-8000-000000000003',
      type: 'accuracy.resolved',
      observed: 0.9,
    });
    const events = decideItem(history.reduce<ItemState | null>(evolveItem, null), {
      type: 'RecordReliabilitySignal',
      event: resolved,
      at,
    });
    expect(events.map((e) => e.type)).toEqual(['ReliabilityIncidentResolved']);
    const state = [...history, ...events].reduce<ItemState | null>(evolveItem, null)!;
    expect(state.reliability).toMatchObject({
      open: false,
      blocksAdoption: false,
      resolvedAt: resolved.eventTime,
    });
  });

  it('drift and latency incidents do not block adoption; a paging error-budget burn does', () => {
    const drift = decideItem(null, {
      type: 'RecordReliabilitySignal',
      event: reliabilityEvent({
        rule: 'feature_drift',
        type: 'feature_drift.opened',
        severity: 'critical',
        observed: 0.4,
        threshold: 0.1,
      }),
      at,
    });
    expect(drift.reduce<ItemState | null>(evolveItem, null)!.reliability!.blocksAdoption).toBe(
      false,
    );
    const budget = decideItem(null, {
      type: 'RecordReliabilitySignal',
      event: reliabilityEvent({
        rule: 'error_budget',
        type: 'error_budget.opened',
        severity: 'critical',
        observed: 20,
        threshold: 14.4,
      }),
      at,
    });
    expect(budget.reduce<ItemState | null>(evolveItem, null)!.reliability!.blocksAdoption).toBe(
      true,
    );
  });

  it('refuses an event of another incident on this item', () => {
    const history = decideItem(null, { type: 'RecordReliabilitySignal', event: opened, at });
    given(history)
      .when({
        type: 'RecordReliabilitySignal',
        event: reliabilityEvent({
          eventId: '00000000-0000-5000-8000-000000000009',
          incidentId: '00000000-0000-5000-8000-0000000000bb',
        }),
        at,
      })
      .thenRejects('incident-mismatch');
  });
});
