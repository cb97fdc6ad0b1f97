import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { parseModelStatus, type ModelStatus } from '@fulcrum/contracts';
import { createKafka } from '@fulcrum/platform';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { AuditService } from '../application/audit.service';
import { BACKLOG_LOGGER } from '../config/backlog.config';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { ParkedMessagesRepository } from '../parking/parked-messages.repository';
import { ModelStatusRepository } from '../read-models/model-status/model-status.repository';

/**
 * Statuses handled at once: a platform's models all publish at the same 5-minute boundary, and one
 * at a time (three round trips, an audit reading every profile) a backlog absorbed ~3 a second.
 * A slice is written with overlapped conditional upserts and audited together, then its offsets
 * are resolved — a crash redelivers at most one slice, which the status-time conditions make
 * harmless.
 */
const SLICE = 500;

export interface ModelStatusConsumerOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
}

/**
 * The model-status intake: its own kafkajs consumer and group (apart from the reliability events,
 * so neither waits behind the other), reading whole batches. Each status is kept (latest and
 * hourly) idempotently and its model audited; a malformed one is parked with its reason instead of
 * blocking the partition.
 */
@Injectable()
export class ModelStatusConsumer implements OnModuleDestroy {
  private consumer: Consumer | null = null;

  constructor(
    private readonly statuses: ModelStatusRepository,
    private readonly audits: AuditService,
    private readonly parked: ParkedMessagesRepository,
    private readonly metrics: BacklogMetrics,
    @Inject(BACKLOG_LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates, connects and runs the consumer; resolves once it runs (before it has joined). */
  async start(o: ModelStatusConsumerOptions, track: (consumer: Consumer) => void): Promise<void> {
    const consumer = createKafka({
      clientId: o.clientId,
      brokers: o.brokers,
      logger: this.logger,
    }).consumer({ groupId: o.groupId, allowAutoTopicCreation: false, sessionTimeout: 30000 });
    this.consumer = consumer;
    track(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: o.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (let i = 0; i < batch.messages.length; i += SLICE) {
          if (!payload.isRunning() || payload.isStale()) return;
          const slice = batch.messages.slice(i, i + SLICE);
          await this.absorb(batch.topic, batch.partition, slice);
          payload.resolveOffset(slice[slice.length - 1].offset);
          await payload.commitOffsetsIfNecessary();
          await payload.heartbeat();
        }
      },
    });
  }

  /** Parks what is malformed, writes the rest, audits the models whose latest status changed. */
  async absorb(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const valid: ModelStatus[] = [];
    for (const m of messages) {
      let payload: unknown;
      let reason: string | null = null;
      try {
        payload = JSON.parse(m.value?.toString('utf8') ?? 'null');
      } catch (error) {
        payload = m.value?.toString('utf8') ?? null;
        reason = `not JSON: ${(error as Error).message}`;
      }
      const parsed = reason === null ? parseModelStatus(payload) : null;
      if (parsed?.ok) {
        valid.push(parsed.status);
        continue;
      }
      await this.parked.park(
        'model-status',
        { topic, partition, offset: m.offset },
        reason ?? (parsed as { reason: string }).reason,
        payload,
      );
      this.metrics.modelStatuses.inc({ outcome: 'parked' });
    }
    const { latest, applied } = await this.statuses.recordMany(valid);
    // A new status may open or close technical-debt gaps; a duplicate or an older one cannot.
    await this.audits.syncMany(latest.map((status) => ({ modelId: status.modelId, status })));
    if (applied > 0) this.metrics.modelStatuses.inc({ outcome: 'applied' }, applied);
    if (valid.length > applied)
      this.metrics.modelStatuses.inc({ outcome: 'duplicate' }, valid.length - applied);
  }

  async onModuleDestroy(): Promise<void> {
    // Stops after the slice in hand: its offsets are resolved only once it is written.
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
