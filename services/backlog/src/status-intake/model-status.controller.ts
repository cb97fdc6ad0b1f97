import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { parseModelStatus, topicNamesFromEnv } from '@fulcrum/contracts';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { ParkedMessagesRepository } from '../parking/parked-messages.repository';
import { ModelStatusRepository } from '../read-models/model-status/model-status.repository';
import { AuditService } from '../application/audit.service';
import { MODEL_STATUS_TRANSPORT } from './model-status.transport';

/**
 * The model-status consumer, on its own Kafka server and group (see bootstrap): each status is kept
 * (latest and hourly) idempotently; a malformed one is parked with its reason instead of blocking the partition.
 */
@Controller()
export class ModelStatusController {
  constructor(
    private readonly statuses: ModelStatusRepository,
    private readonly metrics: BacklogMetrics,
    private readonly audits: AuditService,
    private readonly parked: ParkedMessagesRepository,
  ) {}

  // Evaluated when the class is defined: the topic comes from the same reader the config uses.
  @EventPattern(topicNamesFromEnv(process.env).modelStatus, MODEL_STATUS_TRANSPORT)
  async onModelStatus(@Payload() payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const parsed = parseModelStatus(payload);
    if (!parsed.ok) {
      const source = {
        topic: context.getTopic(),
        partition: context.getPartition(),
        offset: context.getMessage().offset,
      };
      await this.parked.park('model-status', source, parsed.reason, payload);
      this.metrics.modelStatuses.inc({ outcome: 'parked' });
      return;
    }
    const changed = await this.statuses.record(parsed.status);
    // A new status may open or close technical-debt gaps; a duplicate cannot.
    if (changed) await this.audits.sync(parsed.status.modelId);
    this.metrics.modelStatuses.inc({ outcome: changed ? 'applied' : 'duplicate' });
  }
}
