import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { InjectConnection } from '@nestjs/mongoose';
import { parseModelStatus, topicNamesFromEnv } from '@fulcrum/contracts';
import type { Connection } from 'mongoose';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { PARKED_MODEL_STATUS } from '../read-models/read-model-names';
import { ModelStatusRepository } from '../read-models/model-status.repository';
import { AuditService } from '../application/audit.service';

/**
 * The model-status consumer, beside the reliability-event one: each status is kept (latest and
 * hourly) idempotently; a malformed one is parked with its reason instead of blocking the partition.
 */
@Controller()
export class ModelStatusController {
  constructor(
    private readonly statuses: ModelStatusRepository,
    private readonly metrics: BacklogMetrics,
    private readonly audits: AuditService,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  // Evaluated when the class is defined: the topic comes from the same reader the config uses.
  @EventPattern(topicNamesFromEnv(process.env).modelStatus)
  async onModelStatus(@Payload() payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const parsed = parseModelStatus(payload);
    if (!parsed.ok) {
      const source = {
        topic: context.getTopic(),
        partition: context.getPartition(),
        offset: context.getMessage().offset,
      };
      await this.connection.db!.collection(PARKED_MODEL_STATUS).updateOne(
        { _id: `${source.topic}/${source.partition}/${source.offset}` as never },
        {
          $setOnInsert: {
            reason: parsed.reason,
            payload: JSON.stringify(payload)?.slice(0, 65536) ?? null,
            parkedAt: new Date(),
            ...source,
          },
        },
        { upsert: true },
      );
      this.metrics.modelStatuses.inc({ outcome: 'parked' });
      return;
    }
    const changed = await this.statuses.record(parsed.status);
    // A new status may open or close technical-debt gaps; a duplicate cannot.
    if (changed) await this.audits.sync(parsed.status.modelId);
    this.metrics.modelStatuses.inc({ outcome: changed ? 'applied' : 'duplicate' });
  }
}
