import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TelemetryValidator } from '@fulcrum/contracts';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import { INGESTION_CONFIG, type IngestionConfig } from '../config/ingestion.config';
import { KafkaClients, PINO } from '../kafka/kafka.providers';
import { ModelStateStore } from '../model-state/model-state.store';
import { IngestionMetrics } from '../observability/ingestion-metrics';
import { StateChangelogRepository } from '../state-changelog/state-changelog.repository';
import { foldBatch, type FoldedBatch } from './batch-fold';
import { Checkpointer } from './checkpointer';
import { PartitionLocks } from './partition-locks';
import { PartitionRestorer } from './partition-restorer';
import { StaleSweeper } from './stale-sweeper';
import { TelemetryPublisher } from './telemetry-publisher';

/**
 * The telemetry hot path: the consumer's lifecycle and the order of the steps per batch. kafkajs
 * `eachBatch` per partition: restore the partition's models if new (`PartitionRestorer`), fold the
 * batch (`foldBatch`), publish what it caused and wait for acks=all (`TelemetryPublisher`), then
 * hand the offset to the `Checkpointer`, which commits it only after the models are on the state
 * changelog. A crash reprocesses from the last commit against the state of the same moment: events
 * come out again with the same ids, and records already folded into a checkpoint are skipped by
 * offset. A timer drives the stale rule (`StaleSweeper`), which runs on processing time.
 */
@Injectable()
export class TelemetryPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private readonly validator: TelemetryValidator;
  private readonly locks = new PartitionLocks();
  private readonly restorer: PartitionRestorer;
  private readonly checkpoints: Checkpointer;
  private readonly stale: StaleSweeper;
  private staleTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private joined = false;
  private batchesStarted = 0;
  /** From the moment the group starts rebalancing until this instance has joined again. */
  private revoking = false;
  private crashed: string | null = null;
  /** Last answer from the brokers to this consumer: a fetch or a heartbeat. */
  private lastContactAt = 0;
  /** Set by main.ts to end the process when the consumer cannot go on (tests leave it unset). */
  onFatal?: (error: Error) => void;

  constructor(
    @Inject(INGESTION_CONFIG) private readonly config: IngestionConfig,
    private readonly clients: KafkaClients,
    private readonly store: ModelStateStore,
    changelog: StateChangelogRepository,
    private readonly publisher: TelemetryPublisher,
    private readonly metrics: IngestionMetrics,
    @Inject(PINO) private readonly logger: Logger,
  ) {
    this.validator = new TelemetryValidator(config.maxRecordBytes, config.maxEventTimeSkewMs);
    this.restorer = new PartitionRestorer(
      (partitions) => changelog.restore(partitions),
      (restored) => {
        for (const [p, models] of restored) store.replace(p, models);
        metrics.restores.inc([...restored.values()].reduce((n, m) => n + m.size, 0));
      },
    );
    this.checkpoints = new Checkpointer(
      {
        snapshot: (partition, models) => changelog.snapshot(partition, models),
        commit: (topic, partition, offset) =>
          this.consumer!.commitOffsets([{ topic, partition, offset }]),
        lost: (models) => {
          for (const model of models) model.checkpointLost();
        },
      },
      config.checkpointIntervalMs,
    );
    this.stale = new StaleSweeper(
      store,
      this.locks,
      this.checkpoints,
      config.rules,
      publisher,
      changelog,
      logger,
    );
  }

  /**
   * Ready when the producer is connected and this instance is a member of the consumer group that
   * the brokers still answer. kafkajs keeps a member "joined" while it retries an unreachable
   * broker; after a whole session timeout without a fetch or heartbeat answered, the coordinator
   * has evicted it anyway, so it says so instead of looking healthy while consuming nothing.
   */
  readiness(now = Date.now()): { ready: boolean; reason?: string } {
    if (this.crashed) return { ready: false, reason: `consumer crashed: ${this.crashed}` };
    if (!this.clients.producerConnected) return { ready: false, reason: 'producer not connected' };
    if (!this.joined) return { ready: false, reason: 'not a member of the consumer group yet' };
    const silentMs = now - this.lastContactAt;
    if (silentMs > this.config.sessionTimeoutMs)
      return {
        ready: false,
        reason: `no fetch or heartbeat answered for ${Math.round(silentMs / 1000)} s (session timeout ${this.config.sessionTimeoutMs / 1000} s)`,
      };
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
    const contact = () => (this.lastContactAt = Date.now());
    consumer.on(consumer.events.HEARTBEAT, contact);
    consumer.on(consumer.events.FETCH, contact);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      contact();
      this.joined = true;
      this.revoking = false;
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
    consumer.on(consumer.events.REBALANCING, () => {
      this.joined = false;
      this.revoking = true;
      // kafkajs has stopped fetching and rejoins right away: what is still pending goes to the
      // changelog now, so the next owner restores it and skips those records by offset even when
      // the commit behind the write comes too late for this generation.
      void this.flushIdle(true);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.telemetry, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.partitionsConsumedConcurrently,
      eachBatch: (payload) =>
        this.locks.run(payload.batch.partition, () => this.processBatch(payload)),
    });
    this.staleTimer = setInterval(() => void this.stale.sweep(), this.config.staleCheckIntervalMs);
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
    // Stop fetching and let the batches in flight finish, then checkpoint and commit everything
    // processed while this member is still in the group, so the next owner does not redo it
    // (before, batches that ran between the final checkpoint and the disconnect were redone).
    if (this.consumer) {
      this.consumer.pause([{ topic: this.config.topics.telemetry }]);
      // A batch fetched before the pause may still be handed over: wait until a quiet moment.
      for (let seen = -1, tries = 0; seen !== this.batchesStarted && tries < 20; tries++) {
        seen = this.batchesStarted;
        await this.locks.settled();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    for (const partition of this.checkpoints.pendingPartitions())
      await this.locks.run(
        partition,
        async () => void this.checkpoints.start(partition).catch(() => undefined),
      );
    await this.checkpoints.drain((err, partition) =>
      this.logger.warn({ err, partition }, 'final checkpoint failed'),
    );
    // kafkajs lets the running batch finish (it commits only what it processed) and leaves the group.
    await this.consumer?.disconnect();
    const total = async (c: { get(): Promise<{ values: { value: number }[] }> }) =>
      (await c.get()).values.reduce((n, v) => n + v.value, 0);
    this.logger.info(
      {
        // Applied or counted late: every valid record this instance folded.
        recordsFolded: (await total(this.metrics.consumed)) + (await total(this.metrics.late)),
        recordsSkipped: await total(this.metrics.duplicates),
      },
      'telemetry consumer stopped',
    );
  }

  private onAssignment(partitions: number[]): void {
    const { revoked, fresh } = this.restorer.assign(partitions);
    for (const p of revoked) this.forget(p);
    if (fresh.length > 0) this.logger.info({ partitions, restoring: fresh }, 'partitions assigned');
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    this.batchesStarted++;
    const endTimer = this.metrics.batchDuration.startTimer();
    await this.restorer.ready(partition, () => payload.heartbeat());
    // A heartbeat that finds the group rebalancing stops the fold where it is; what was folded is
    // published and checkpointed while this partition is still ours, then kafkajs rejoins.
    const seen: { rebalance: Error | null } = { rebalance: null };
    const heartbeat = async () => {
      try {
        await payload.heartbeat();
      } catch (error) {
        if ((error as { type?: string }).type !== 'REBALANCE_IN_PROGRESS') throw error;
        seen.rebalance ??= error as Error;
      }
    };
    const folded = await foldBatch(batch.messages, {
      topic: batch.topic,
      partition,
      validator: this.validator,
      model: (modelId) => this.store.getOrCreate(partition, modelId),
      settings: (modelId) => this.config.rules.for(modelId),
      now: Date.now(),
      shouldStop: () => seen.rebalance !== null || !payload.isRunning() || payload.isStale(),
      heartbeat,
    });
    const last = folded.last;
    if (last === null) {
      if (seen.rebalance) throw seen.rebalance;
      return;
    }

    try {
      await this.publisher.publish(folded.events, folded.statuses, folded.deadLetters);
      this.checkpoints.processed(batch.topic, partition, folded.touched, last);
      payload.resolveOffset(last);
      // Learn of a rebalance at the batch boundary, while the partition is still ours (the commit
      // of the old generation is accepted until this member rejoins); kafkajs's own heartbeat
      // comes only after this returns. Other heartbeat errors are left to kafkajs.
      if (!seen.rebalance && !this.revoking) await heartbeat().catch(() => undefined);
      if (seen.rebalance || this.revoking) await this.checkpointBeforeRebalance(partition);
      else if (!payload.isRunning()) await this.checkpoints.start(partition);
      // The write runs while the next batches are processed: waiting for it here held up every
      // partition's next fetch (checkpoints of 200–800 ms were the detection-latency tail).
      else if (this.checkpoints.due(partition)) this.startCheckpoint(partition, 'will retry');
    } catch (error) {
      // Memory is now ahead of Kafka: forget this partition's state so the retry starts from the
      // last checkpoint and re-emits the same events.
      this.forget(partition);
      throw error;
    }
    this.count(folded, partition, Number(batch.highWatermark) - Number(last) - 1);
    endTimer();
    if (seen.rebalance) throw seen.rebalance;
  }

  /**
   * The group is rebalancing and this member has not rejoined yet: checkpoint and commit this
   * partition and every idle one, and wait (bounded, so the session does not expire) for all
   * checkpoints in flight, so a partition that moves is not processed again by its next owner.
   * A failed commit is not lost work: the checkpoint it follows lets the next owner skip by offset.
   */
  private async checkpointBeforeRebalance(current: number): Promise<void> {
    this.revoking = true;
    for (const p of this.checkpoints.pendingPartitions())
      if (p === current || this.locks.idle(p)) this.startCheckpoint(p, 'before the rebalance');
    const bound = Math.min(10_000, Math.floor(this.config.sessionTimeoutMs / 3));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.checkpoints.drain(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, bound))),
    ]);
    clearTimeout(timer);
  }

  private count(folded: FoldedBatch, partition: number, lag: number): void {
    for (const [kind, n] of folded.consumed) this.metrics.consumed.inc({ kind }, n);
    for (const [kind, n] of folded.late) this.metrics.late.inc({ kind }, n);
    for (const [reason, n] of folded.invalid) this.metrics.invalid.inc({ reason }, n);
    if (folded.duplicates) this.metrics.duplicates.inc(folded.duplicates);
    this.metrics.lag.set({ partition: String(partition) }, Math.max(0, lag));
  }

  /** Starts the partition's checkpoint in the background; a failure is logged and retried later. */
  private startCheckpoint(partition: number, then: string): void {
    this.checkpoints
      .start(partition)
      .catch((err: unknown) => this.logger.warn({ err, partition }, `checkpoint failed; ${then}`));
  }

  /** Drops a partition's state (revoked, or memory ahead of Kafka after a failed publish). */
  private forget(partition: number): void {
    this.checkpoints.forget(partition);
    this.store.drop(partition);
    this.restorer.forget(partition);
  }

  /** When traffic pauses (or the group rebalances: `all`), what was processed is checkpointed. */
  private async flushIdle(all = false): Promise<void> {
    const partitions = all
      ? this.checkpoints.pendingPartitions()
      : this.checkpoints.duePartitions();
    for (const partition of partitions) {
      // On failure nothing is lost: memory is consistent, the commit simply waits for the next try.
      // Only the snapshot holds the partition's lock; the write goes on in the background.
      await this.locks
        .run(partition, async () => this.startCheckpoint(partition, 'will retry'))
        .catch(() => undefined);
    }
  }
}
