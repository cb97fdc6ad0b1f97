import { deterministicId } from '@fulcrum/contracts';
import type { Decision } from '../domain/ceremonies/ceremony.types';
import { ceremonyStream } from '../domain/streams';
import type { CeremoniesRepository } from '../read-models/ceremonies/ceremonies.repository';
import type { ImpactQueries } from '../read-models/impact.queries';
import type { ReadModelQueries } from '../read-models/read-model.queries';
import { inMemoryWriteSide } from './application.testing';
import { CeremoniesService } from './ceremonies.service';
import type { StreamProjection } from './stream-projection.port';

const projection: StreamProjection = { applied: async () => {}, deadLetter: async () => {} };
const alice = { actor: 'alice' };
const allocation = {
  byBacklog: { capability: 80, reliability: 20 },
  byQuadrant: { 'critical-feature': 50, innovation: 30, 'model-hygiene': 15, 'technical-debt': 5 },
  deviationRationale: null,
};

/** The ceremony service over an in-memory event store; the read side answers "no models". */
async function setup() {
  const { store, handler, items } = inMemoryWriteSide(projection);
  const ceremonies = new CeremoniesService(
    handler,
    items,
    {
      models: async () => [],
      allocation: async () => ({ recommended: { reliabilityPercent: 20, blockingModels: 0 } }),
    } as unknown as ReadModelQueries,
    {} as ImpactQueries,
    { all: async () => [] } as unknown as CeremoniesRepository,
  );
  const proposed = await items.propose(
    {
      backlog: 'capability',
      quadrant: 'innovation',
      title: 'Semantic search',
      description: 'Search by meaning',
      linkedModels: [],
      scores: { userImpact: 6, systemRisk: 2, timeCriticality: 3, effort: 5, confidence: 0.7 },
    },
    alice,
  );
  const itemId = proposed.state.itemId;
  const { state } = await ceremonies.schedule(
    { title: 'Sprint 1', scheduledFor: '2026-03-02T09:00:00Z', cadenceDays: 14 },
    alice,
  );
  const ceremonyId = state.ceremonyId;
  await ceremonies.open(ceremonyId, alice);
  await ceremonies.setAllocation(ceremonyId, allocation, alice);
  /** Only the ceremony's half of a decision: what a crash between the two writes leaves. */
  const recordOnly = (decision: Decision['decision'], eventId: string) =>
    handler.execute(
      ceremonyStream(ceremonyId),
      'record-decision',
      (_s, c) => [{ type: 'CeremonyDecisionRecorded', data: c }],
      {
        itemId,
        decision,
        rationale: 'agreed',
        backlog: 'capability',
        quadrant: 'innovation',
        criticalReliability: false,
        decidedBy: 'alice',
        at: new Date().toISOString(),
      } satisfies Decision,
      { ...alice, eventIds: () => eventId },
    );
  return { store, items, ceremonies, ceremonyId, itemId, recordOnly };
}

describe('CeremoniesService: a decision moves its item, even across a crash', () => {
  it('decide records the decision and moves the item, its event id derived from the decision', async () => {
    const { store, items, ceremonies, ceremonyId, itemId } = await setup();
    await ceremonies.decide(
      ceremonyId,
      { itemId, decision: 'commit', rationale: 'now' },
      {
        ...alice,
        idempotencyKey: 'req-1',
      },
    );
    const item = await items.load(itemId);
    expect(item.state?.status).toBe('committed');
    const decisionEvent = (await store.readStream(ceremonyStream(ceremonyId))).find(
      (e) => e.type === 'CeremonyDecisionRecorded',
    )!;
    expect(item.events.at(-1)?.eventId).toBe(deterministicId(decisionEvent.eventId, 'item-status'));
  });

  it('refuses a decision the item cannot take, and records nothing', async () => {
    const { store, items, ceremonies, ceremonyId, itemId } = await setup();
    await items.changeStatus(itemId, 'dropped', 'not now', null, alice);
    const before = store.commits.length;
    await expect(
      ceremonies.decide(ceremonyId, { itemId, decision: 'commit', rationale: 'x' }, alice),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(store.commits).toHaveLength(before);
  });

  it('closing completes a decision whose item move was interrupted, once', async () => {
    const { items, ceremonies, ceremonyId, itemId, recordOnly } = await setup();
    await recordOnly('commit', 'decision-1');
    expect((await items.load(itemId)).state?.status).toBe('proposed');
    await ceremonies.close(ceremonyId, 'done', alice);
    const item = await items.load(itemId);
    expect(item.state?.status).toBe('committed');
    expect(item.events.at(-1)?.eventId).toBe(deterministicId('decision-1', 'item-status'));
    expect(item.events.filter((e) => e.type === 'ItemStatusChanged')).toHaveLength(1);
  });

  it('closing does not undo a change made to the item after its decision', async () => {
    const { items, ceremonies, ceremonyId, itemId, recordOnly } = await setup();
    await recordOnly('defer', 'decision-2');
    await items.changeStatus(
      itemId,
      'committed',
      'changed our minds outside the ceremony',
      null,
      alice,
    );
    await ceremonies.close(ceremonyId, 'done', alice);
    expect((await items.load(itemId)).state?.status).toBe('committed');
  });

  it('only the last decision on an item counts', async () => {
    const { items, ceremonies, ceremonyId, itemId, recordOnly } = await setup();
    await recordOnly('defer', 'decision-3');
    await recordOnly('commit', 'decision-4');
    await ceremonies.close(ceremonyId, 'done', alice);
    const item = await items.load(itemId);
    expect(item.state?.status).toBe('committed');
    expect(item.events.filter((e) => e.type === 'ItemStatusChanged')).toHaveLength(1);
  });
});
