import {
  IdempotencyKeyReusedError,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type NewEvent,
  type RecordedEvent,
} from './event-store.types';

interface Commit {
  id: string;
  streamId: string;
  firstVersion: number;
  lastVersion: number;
  idem: string;
  requestHash?: string;
  committedAt: Date;
  events: RecordedEvent[];
}

/**
 * The event store's contract in memory, for unit specs of the services above it: commits keyed by
 * `<stream>@<firstVersion>` and by Idempotency-Key (the two unique indexes of the MongoDB one),
 * expected-version checks, replays of a key or of the same event ids, `asOf` reads. No upcasting
 * (every event is at schema version 1). `reads` counts stream reads so a spec can see the cache.
 */
export class InMemoryEventStore {
  readonly commits: Commit[] = [];
  reads = 0;
  /** Set to make every call fail as an unreachable database would. */
  failWith: Error | null = null;

  async append(streamId: string, events: NewEvent[], opts: AppendOptions): Promise<AppendResult> {
    this.check();
    if (events.length === 0) throw new Error('append needs at least one event');
    await Promise.resolve();
    const current = this.version(streamId);
    const expected = opts.expectedVersion;
    const firstVersion =
      expected === 'no-stream' ? 1 : typeof expected === 'number' ? expected + 1 : current + 1;
    const conflict =
      (expected === 'no-stream' && current !== 0) ||
      (expected === 'exists' && current === 0) ||
      (typeof expected === 'number' && current !== expected);
    const key = opts.idempotencyKey;
    if (conflict || (key !== undefined && this.commits.some((c) => c.idem === key))) {
      const replay = key ? await this.replayByKey(key, opts.requestHash) : undefined;
      if (replay) return replay;
      const same = this.commits.find((c) => c.id === `${streamId}@${firstVersion}`);
      if (same && same.events.every((e, i) => e.eventId === events[i]?.eventId))
        return { streamId, nextVersion: same.lastVersion, replayed: true };
      throw new WrongExpectedVersionError(streamId, expected, current);
    }
    const now = opts.now ?? new Date();
    const start = current + 1;
    this.commits.push({
      id: `${streamId}@${start}`,
      streamId,
      firstVersion: start,
      lastVersion: current + events.length,
      idem: key ?? `commit:${streamId}@${start}`,
      ...(opts.requestHash ? { requestHash: opts.requestHash } : {}),
      committedAt: now,
      events: events.map((e, i) => ({
        streamId,
        version: start + i,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data: structuredClone(e.data),
        recordedAt: now,
        actor: opts.actor,
      })),
    });
    return { streamId, nextVersion: current + events.length, replayed: false };
  }

  async currentVersion(streamId: string): Promise<number> {
    this.check();
    await Promise.resolve();
    return this.version(streamId);
  }

  async readStream(streamId: string, opts: { asOf?: Date } = {}): Promise<RecordedEvent[]> {
    this.check();
    this.reads++;
    await Promise.resolve();
    return this.commits
      .filter((c) => c.streamId === streamId && (!opts.asOf || c.committedAt <= opts.asOf))
      .sort((a, b) => a.firstVersion - b.firstVersion)
      .flatMap((c) => c.events.map((e) => structuredClone(e)));
  }

  async *readStreams(): AsyncGenerator<RecordedEvent[]> {
    this.check();
    for (const id of new Set(this.commits.map((c) => c.streamId))) yield await this.readStream(id);
  }

  async streamIds(prefix: string): Promise<string[]> {
    this.check();
    await Promise.resolve();
    return [...new Set(this.commits.map((c) => c.streamId))].filter((s) => s.startsWith(prefix));
  }

  async replayByKey(key: string, requestHash?: string): Promise<AppendResult | undefined> {
    this.check();
    await Promise.resolve();
    const existing = this.commits.find((c) => c.idem === key);
    if (!existing) return undefined;
    if (requestHash && existing.requestHash && existing.requestHash !== requestHash)
      throw new IdempotencyKeyReusedError(key);
    return { streamId: existing.streamId, nextVersion: existing.lastVersion, replayed: true };
  }

  /** Another instance's write, behind the back of whatever cached this stream. */
  async appendBehind(streamId: string, events: NewEvent[], actor = 'other-instance') {
    return this.append(streamId, events, {
      expectedVersion: this.version(streamId),
      actor,
    });
  }

  private version(streamId: string): number {
    return this.commits
      .filter((c) => c.streamId === streamId)
      .reduce((v, c) => Math.max(v, c.lastVersion), 0);
  }

  private check(): void {
    if (this.failWith) throw this.failWith;
  }
}
