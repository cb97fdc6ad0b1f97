import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  RELIABILITY_HEADERS,
  TelemetryValidator,
  transitionOf,
  type ModelStatus,
  type ReliabilityEvent,
  type TelemetryKind,
} from '@fulcrum/contracts';
import type { Consumer, EachBatchPayload, Message } from 'kafkajs';
import type { Logger } from 'pino';
import { produceInSlices } from '@fulcrum/platform';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';
import { KafkaClients, PINO } from '../kafka/kafka.providers';
import { applyRecord, checkStale } from '../evaluation/model-evaluator';
import type { ModelState } from '../model-state/model-state';
import { ModelStateStore } from '../model-state/model-state.store';
import { IngestionMetrics } from '../observability/ingestion-metrics';
import { StateChangelogRepository } from '../state-changelog/state-changelog.repository';
import { deadLetter } from './dead-letter';

const HEARTBEAT_EVERY = 1000;
const STALE_CHECK_EVERY = 64;

/** A partition's models changed and its last processed offset since its last checkpoint. */
interface Pending {
  topic: string;
  models: Set<ModelState>;
  offset: string;
  since: number;
}

/**
 * The telemetry hot path. kafkajs `eachBatch` per partition: decode and validate each record, fold
 * it into its model's state, then produce the reliability events and dead letters and wait for
 * acks=all. At most every `checkpointIntervalMs` (and on a timer when traffic stops) the models
 * touched since the last checkpoint go to the state changelog, and only then is the offset of the
 * last processed record committed. A crash reprocesses from the last commit against the state of the
 * same moment: events come out again with the same ids, and records already folded into a
 * checkpoint are skipped by offset. Checkpointing per interval instead of per batch keeps the
 * changelog writes from dominating the hot path.
 */
@Injectable()
export class TelemetryPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private readonly validator: TelemetryValidator;
  private readonly restoring = new Map<number, Promise<void>>();
  private readonly locks = new Map<number, Promise<unknown>>();
  /** Per partition: the checkpoint writes and commits in flight, in the order they were taken. */
  private readonly flushes = new Map<number, Promise<void>>();
  /** Per partition: bumped when its state is dropped, so a late failure cannot requeue stale models. */
  private readonly epochs = new Map<number, number>();
  private staleTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  /** Per partition: models changed and the last processed offset since the last checkpoint. */
  private readonly pending = new Map<number, Pending>();
  private joined = false;
  private crashed: string | null = null;
  /** Set by main.ts to end the process when the consumer cannot go on (tests leave it unset). */
  onFatal?: (error: Error) => void;

  constructor(
    @Inject(INGESTION_CONFIG) private readonly config: IngestionConfig,
    private readonly clients: KafkaClients,
    private readonly store: ModelStateStore,
    private readonly changelog: StateChangelogRepository,
    private readonly metrics: IngestionMetrics,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    this.validator = new TelemetryValidator(config.maxRecordBytes, config.maxEventTimeSkewMs);
  }

  /** Ready when the producer is connected and this instance is a member of the consumer group. */
  readiness(): { ready: boolean; reason?: string } {
    if (this.crashed) return { ready: false, reason: `consumer crashed: ${this.crashed}` };
    if (!this.clients.producerConnected) return { ready: false, reason: 'producer not connected' };
    if (!this.joined) return { ready: false, reason: 'not a member of the consumer group yet' };
    return { ready: true };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { topics, groupId } = this.config;
    await this.clients.connect();
    const consumer = this.clients.kafka.consumer({
      groupId,
      sessionTimeout: this.config.sessionTimeoutMs,
      // Kafka's advice: heartbeat at no more than a third of the session timeout.
      heartbeatInterval: Math.min(3000, Math.floor(this.config.sessionTimeoutMs / 3)),
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 48 * 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.joined = true;
      this.crashed = null;
      this.onAssignment(e.payload.memberAssignment[topics.telemetry] ?? []);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.crashed = e.payload.error.message;
      this.logger.error(
        { err: e.payload.error, restart: e.payload.restart },
        'telemetry consumer crashed',
      );
      // kafkajs restarts itself after retriable errors only; after any other the consumer is gone
      // for good, and a process that looks alive but consumes nothing is the worst outcome.
      if (!e.payload.restart) this.onFatal?.(e.payload.error);
    });
    consumer.on(consumer.events.REBALANCING, () => (this.joined = false));
    await consumer.connect();
    await consumer.subscribe({ topic: topics.telemetry, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.partitionsConsumedConcurrently,
      eachBatch: (payload) =>
        this.withPartition(payload.batch.partition, () => this.processBatch(payload)),
    });
    this.staleTimer = setInterval(() => void this.sweepStale(), this.config.staleCheckIntervalMs);
    this.staleTimer.unref();
    this.flushTimer = setInterval(
      () => void this.flushIdle(),
      Math.max(50, this.config.checkpointIntervalMs),
    );
    this.flushTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.staleTimer) clearInterval(this.staleTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    // Checkpoint and commit what was processed, so the next owner does not redo it.
    for (const partition of [...this.pending.keys()])
      await this.withPartition(
        partition,
        async () => void this.startFlush(partition).catch(() => undefined),
      );
    await Promise.all(
      [...this.flushes].map(([partition, flush]) =>
        flush.catch((error: unknown) =>
          this.logger.warn({ err: error, partition }, 'final checkpoint failed'),
        ),
      ),
    );
    // kafkajs lets the running batch finish (it commits only what it processed) and leaves the group.
    await this.consumer?.disconnect();
  }

  private onAssignment(partitions: number[]): void {
    const assigned = new Set(partitions);
    for (const p of [...this.restoring.keys()]) {
      if (!assigned.has(p)) this.forget(p);
    }
    const fresh = partitions.filter((p) => !this.restoring.has(p));
    if (fresh.length === 0) return;
    const all = this.changelog.restore(fresh).then((restored) => {
      for (const [p, models] of restored) this.store.replace(p, models);
      this.metrics.restores.inc([...restored.values()].reduce((n, m) => n + m.size, 0));
    });
    for (const p of fresh) {
      const pending = all.catch((error: unknown) => {
        this.restoring.delete(p);
        throw error;
      });
      pending.catch(() => undefined);
      this.restoring.set(p, pending);
    }
    this.logger.info({ partitions, restoring: fresh }, 'partitions assigned');
  }

  private async ensureRestored(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    let pending = this.restoring.get(partition);
    if (!pending) {
      this.onAssignment([...this.restoring.keys(), partition]);
      pending = this.restoring.get(partition)!;
    }
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      await pending;
    } finally {
      clearInterval(beat);
    }
  }

  /** Batches of one partition and the stale sweep over it never interleave. */
  private withPartition<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(partition) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(partition, next);
    return next;
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    const endTimer = this.metrics.batchDuration.startTimer();
    const partition = batch.partition;
    await this.ensureRestored(partition, heartbeat);
    const now = Date.now();
    const events: ReliabilityEvent[] = [];
    const statuses: ModelStatus[] = [];
    const dlq: Message[] = [];
    const touched = new Set<ModelState>();
    const consumed = new Map<TelemetryKind, number>();
    const late = new Map<TelemetryKind, number>();
    const invalid = new Map<string, number>();
    let skipped = 0;
    let last: string | null = null;
    let n = 0;

    for (const message of batch.messages) {
      // isStale() walks kafkajs's seek bookkeeping; per record it cost ~4 % of the hot path.
      if (n % STALE_CHECK_EVERY === 0 && (!payload.isRunning() || payload.isStale())) break;
      const decoded = this.validator.decode(message.value, message.key, now);
      if (!decoded.ok) {
        dlq.push(
          deadLetter(message, { topic: batch.topic, partition }, decoded.rejection, new Date(now)),
        );
        invalid.set(decoded.rejection.code, (invalid.get(decoded.rejection.code) ?? 0) + 1);
      } else {
        const { record, eventTimeMs } = decoded;
        const state = this.store.getOrCreate(partition, record.modelId);
        const offset = Number(message.offset);
        if (offset <= state.lastOffset) {
          skipped++;
        } else {
          const outcome = applyRecord(
            state,
            record,
            eventTimeMs,
            this.config.rules.for(record.modelId),
            now,
            events,
            statuses,
          );
          state.lastOffset = offset;
          touched.add(state);
          const counter = outcome === 'late' ? late : consumed;
          counter.set(record.kind, (counter.get(record.kind) ?? 0) + 1);
        }
      }
      last = message.offset;
      if (++n % HEARTBEAT_EVERY === 0) await heartbeat();
    }
    if (last === null) return;

    try {
      await this.publish(events, dlq, statuses);
      const pending = this.pending.get(partition) ?? {
        topic: batch.topic,
        models: new Set<ModelState>(),
        offset: last,
        since: Date.now(),
      };
      for (const state of touched) pending.models.add(state);
      pending.offset = last;
      this.pending.set(partition, pending);
      payload.resolveOffset(last);
      if (Date.now() - pending.since >= this.config.checkpointIntervalMs || !payload.isRunning()) {
        // The write runs while the next batches are processed: waiting for it here held up every
        // partition's next fetch (checkpoints of 200–800 ms were the detection-latency tail).
        const flush = this.startFlush(partition);
        if (!payload.isRunning()) await flush;
        else
          flush.catch((err: unknown) =>
            this.logger.warn({ err, partition }, 'checkpoint failed; will retry'),
          );
      }
    } catch (error) {
      // Memory is now ahead of Kafka: forget this partition's state so the retry starts from the
      // last checkpoint and re-emits the same events.
      this.forget(partition);
      throw error;
    }

    for (const [kind, count] of consumed) this.metrics.consumed.inc({ kind }, count);
    for (const [kind, count] of late) this.metrics.late.inc({ kind }, count);
    for (const [reason, count] of invalid) this.metrics.invalid.inc({ reason }, count);
    if (skipped) this.metrics.duplicates.inc(skipped);
    this.metrics.lag.set(
      { partition: String(partition) },
      Math.max(0, Number(batch.highWatermark) - Number(last) - 1),
    );
    endTimer();
  }

  /**
   * Takes the partition's checkpoint now (the models are serialized synchronously, at a batch
   * boundary, so the snapshot matches the offset) and writes it, then commits that offset, after
   * every earlier checkpoint of the partition. A failed write puts its models back into pending,
   * and so do the writes queued behind it (none may commit past a lost checkpoint); the next flush
   * writes them at their current state with the newer offset.
   */
  private startFlush(partition: number): Promise<void> {
    const pending = this.pending.get(partition);
    const previous = this.flushes.get(partition) ?? Promise.resolve();
    if (!pending) return previous;
    this.pending.delete(partition);
    const write = this.changelog.snapshot(partition, pending.models);
    const epoch = this.epochs.get(partition) ?? 0;
    const done = previous
      .then(write)
      .then(() =>
        this.consumer!.commitOffsets([
          { topic: pending.topic, partition, offset: String(Number(pending.offset) + 1) },
        ]),
      )
      .catch((error: unknown) => {
        if ((this.epochs.get(partition) ?? 0) === epoch) this.requeue(partition, pending);
        throw error;
      });
    const tracked = done.finally(() => {
      if (this.flushes.get(partition) === tracked) this.flushes.delete(partition);
    });
    tracked.catch(() => undefined);
    this.flushes.set(partition, tracked);
    return done;
  }

  private requeue(partition: number, failed: Pending): void {
    const current = this.pending.get(partition);
    if (!current) {
      this.pending.set(partition, failed);
      return;
    }
    for (const model of failed.models) current.models.add(model);
    current.since = Math.min(current.since, failed.since);
    if (Number(failed.offset) > Number(current.offset)) current.offset = failed.offset;
  }

  /** Drops a partition's state (revoked, or memory ahead of Kafka after a failed publish). */
  private forget(partition: number): void {
    this.epochs.set(partition, (this.epochs.get(partition) ?? 0) + 1);
    this.store.drop(partition);
    this.restoring.delete(partition);
    this.pending.delete(partition);
  }

  /** When traffic pauses, what was processed still gets checkpointed and committed. */
  private async flushIdle(): Promise<void> {
    for (const [partition, pending] of [...this.pending]) {
      if (Date.now() - pending.since < this.config.checkpointIntervalMs) continue;
      // On failure nothing is lost: memory is consistent, the commit simply waits for the next try.
      // Only the snapshot holds the partition's lock; the write goes on in the background.
      await this.withPartition(partition, async () => {
        void this.startFlush(partition).catch((error: unknown) => {
          this.logger.warn({ err: error, partition }, 'checkpoint failed; will retry');
        });
      }).catch(() => undefined);
    }
  }

  private async publish(
    events: ReliabilityEvent[],
    dlq: Message[],
    statuses: ModelStatus[] = [],
  ): Promise<void> {
    // Sliced: one batch of many events, or of large dead letters (up to FULCRUM_MAX_RECORD_BYTES
    // each), would exceed the broker's batch limit, fail non-retriably and stop the partition.
    await produceInSlices(
      this.clients.producer,
      this.config.topics.reliabilityEvents,
      events.map((e) => ({
        key: e.modelId,
        value: JSON.stringify(e),
        headers: {
          [RELIABILITY_HEADERS.eventId]: e.eventId,
          [RELIABILITY_HEADERS.eventType]: e.type,
        },
      })),
    );
    // Statuses after the events of the same batch, and all of it before the offsets are committed.
    await produceInSlices(
      this.clients.producer,
      this.config.topics.modelStatus,
      statuses.map((st) => ({ key: st.modelId, value: JSON.stringify(st) })),
    );
    await produceInSlices(this.clients.producer, this.config.topics.telemetryDlq, dlq);
    for (const e of events)
      this.metrics.emitted.inc({ rule: e.rule, transition: transitionOf(e.type) });
  }

  /** The stale rule runs on processing time, so a timer drives it instead of records. */
  async sweepStale(now = Date.now()): Promise<void> {
    for (const partition of this.store.owned()) {
      await this.withPartition(partition, async () => {
        const events: ReliabilityEvent[] = [];
        const touched: ModelState[] = [];
        for (const state of this.store.partition(partition).values()) {
          const before = events.length;
          checkStale(state, this.config.rules.for(state.modelId), now, events);
          if (events.length > before) touched.push(state);
        }
        if (events.length === 0) return;
        try {
          await this.publish(events, []);
          // After the partition's checkpoints in flight (none starts while this holds its lock):
          // interleaved with their slices, an older state could land last on the compacted topic.
          await (this.flushes.get(partition) ?? Promise.resolve()).catch(() => undefined);
          await this.changelog.checkpoint(partition, touched);
        } catch (error) {
          for (const state of touched) delete state.incidents.telemetry_stale;
          this.logger.warn({ err: error, partition }, 'stale sweep could not publish; will retry');
        }
      });
    }
  }
}
