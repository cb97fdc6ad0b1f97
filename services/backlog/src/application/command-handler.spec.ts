import { DomainError } from '../domain/domain-error';
import type { Poisoned } from '../domain/fold-stream';
import { itemStream } from '../domain/streams';
import {
  EventStoreUnavailableError,
  IdempotencyKeyReusedError,
} from '../event-store/event-store.types';
import { inMemoryWriteSide } from './application.testing';
import { PreconditionFailedError } from './command-handler';
import type { ProposeItemInput } from './items.service';
import type { StreamProjection } from './stream-projection.port';

/** What the read side was told after each command. */
class RecordingProjection implements StreamProjection {
  readonly applied_: { streamId: string; version: number; created: boolean; state: unknown }[] = [];
  readonly deadLetters: Poisoned[] = [];
  async applied(
    streamId: string,
    _events: unknown[],
    folded: { state: unknown; version: number },
    opts: { created: boolean },
  ): Promise<void> {
    await Promise.resolve();
    this.applied_.push({
      streamId,
      version: folded.version,
      created: opts.created,
      state: folded.state,
    });
  }
  async deadLetter(poisoned: Poisoned[]): Promise<void> {
    await Promise.resolve();
    this.deadLetters.push(...poisoned);
  }
}

const proposal: ProposeItemInput = {
  backlog: 'capability',
  quadrant: 'innovation',
  title: 'Semantic search',
  description: 'Search by meaning',
  linkedModels: [],
  scores: { userImpact: 6, systemRisk: 2, timeCriticality: 3, effort: 5, confidence: 0.7 },
};
const alice = { actor: 'alice' };

function setup() {
  const projection = new RecordingProjection();
  const { store, metrics, items } = inMemoryWriteSide(projection);
  const outcomes = async () =>
    Object.fromEntries(
      (await metrics.commands.get()).values.map((v) => [
        `${String(v.labels.command)}:${String(v.labels.outcome)}`,
        v.value,
      ]),
    );
  return { store, projection, items, outcomes };
}

describe('CommandHandler: load → decide → append at the loaded version → project', () => {
  it('a proposal creates the stream at version 1 and tells the projection it was created', async () => {
    const { store, projection, items, outcomes } = setup();
    const result = await items.propose(proposal, alice);
    expect(result).toMatchObject({ version: 1, replayed: false, appended: 1 });
    expect(result.state).toMatchObject({ title: 'Semantic search', status: 'proposed' });
    expect(store.commits).toHaveLength(1);
    expect(store.reads).toBe(0);
    expect(projection.applied_).toEqual([
      expect.objectContaining({
        streamId: itemStream(result.state.itemId),
        version: 1,
        created: true,
      }),
    ]);
    expect(await outcomes()).toEqual({ 'propose-item:ok': 1 });
  });

  it('the next command on the stream decides on the state it left behind, without reading it', async () => {
    const { store, projection, items } = setup();
    const { state } = await items.propose(proposal, alice);
    const moved = await items.changeStatus(state.itemId, 'ready', 'groomed', null, alice);
    expect(moved).toMatchObject({ version: 2, replayed: false });
    expect(moved.state.status).toBe('ready');
    expect(store.reads).toBe(0);
    expect(projection.applied_.at(-1)).toMatchObject({ version: 2, created: false });
  });

  it('another instance wrote meanwhile: the stale decision fails on the version and runs again on a fresh read', async () => {
    const { store, items, outcomes } = setup();
    const { state } = await items.propose(proposal, alice);
    // Elsewhere: the item was made ready (version 2), unknown to this instance's cache.
    await store.appendBehind(itemStream(state.itemId), [
      {
        eventId: 'elsewhere-1',
        type: 'ItemStatusChanged',
        data: {
          from: 'proposed',
          to: 'ready',
          rationale: 'by bob',
          ceremonyId: null,
          at: '2026-01-01T00:00:00.000Z',
        },
      },
    ]);
    const committed = await items.changeStatus(state.itemId, 'committed', 'we do it', null, alice);
    expect(committed.version).toBe(3);
    expect(committed.state.status).toBe('committed');
    expect(store.reads).toBe(1);
    expect(await outcomes()).toMatchObject({ 'change-item-status:ok': 1 });
  });

  it('If-Match naming another version is refused, counted as a conflict, and nothing is appended', async () => {
    const { store, items, outcomes } = setup();
    const { state } = await items.propose(proposal, alice);
    await expect(
      items.changeStatus(state.itemId, 'ready', 'groomed', null, { ...alice, ifMatch: [7] }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.commits).toHaveLength(1);
    expect(await outcomes()).toMatchObject({ 'change-item-status:conflict': 1 });
  });

  it('a retried request with its Idempotency-Key answers the first result and appends nothing', async () => {
    const { store, items, outcomes } = setup();
    const first = await items.propose(proposal, {
      ...alice,
      idempotencyKey: 'k-1',
      requestHash: 'h',
    });
    // The retry generates a new item id; the key brings back the first one.
    const again = await items.propose(proposal, {
      ...alice,
      idempotencyKey: 'k-1',
      requestHash: 'h',
    });
    expect(again).toMatchObject({ replayed: true, appended: 0, version: 1 });
    expect(again.state.itemId).toBe(first.state.itemId);
    expect(store.commits).toHaveLength(1);
    await expect(
      items.propose(proposal, { ...alice, idempotencyKey: 'k-1', requestHash: 'other' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await outcomes()).toMatchObject({ 'propose-item:ok': 1, 'propose-item:replayed': 1 });
  });

  it('a decision refused by the domain appends nothing and is counted as rejected', async () => {
    const { store, items, outcomes } = setup();
    const { state } = await items.propose(proposal, alice);
    await expect(
      items.changeStatus(state.itemId, 'done', 'skip ahead', null, alice),
    ).rejects.toBeInstanceOf(DomainError);
    expect(store.commits).toHaveLength(1);
    expect(await outcomes()).toMatchObject({ 'change-item-status:rejected': 1 });
  });

  it('an unreachable store is counted as unavailable and forgets the cached stream', async () => {
    const { store, items, outcomes } = setup();
    const { state } = await items.propose(proposal, alice);
    store.failWith = new EventStoreUnavailableError(new Error('connection refused'));
    await expect(
      items.changeStatus(state.itemId, 'ready', 'groomed', null, alice),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    store.failWith = null;
    await items.changeStatus(state.itemId, 'ready', 'groomed', null, alice);
    // The failed command dropped the cache entry: the next one read the stream again.
    expect(store.reads).toBe(1);
    expect(await outcomes()).toMatchObject({ 'change-item-status:unavailable': 1 });
  });

  it('a database error after the append committed is an outage (503), not a replay; the retry with the key is', async () => {
    const { store, items } = setup();
    const append = store.append.bind(store);
    let failOnce = true;
    store.append = async (...args: Parameters<typeof append>) => {
      const result = await append(...args);
      if (failOnce) {
        failOnce = false;
        throw Object.assign(new Error('interrupted at shutdown'), { name: 'MongoServerError' });
      }
      return result;
    };
    const opts = { ...alice, idempotencyKey: 'k-shutdown', requestHash: 'h' };
    await expect(items.propose(proposal, opts)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    const retried = await items.propose(proposal, opts);
    expect(retried).toMatchObject({ replayed: true, version: 1 });
    expect(store.commits).toHaveLength(1);
  });
});
