import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { DEFAULT_TOPICS } from '@fulcrum/contracts';
import { ReliabilityIntakeService } from './reliability-intake.service';

/**
 * The reliability-event consumer, on @nestjs/microservices' Kafka transport (low volume, so its
 * per-message handling is fine). Throwing (e.g. MongoDB down) leaves the offset uncommitted and
 * kafkajs redelivers; malformed events are parked, not thrown.
 */
@Controller()
export class ReliabilityEventsController {
  constructor(private readonly intake: ReliabilityIntakeService) {}

  @EventPattern(process.env.FULCRUM_TOPIC_RELIABILITY_EVENTS ?? DEFAULT_TOPICS.reliabilityEvents)
  async onReliabilityEvent(
    @Payload() payload: unknown,
    @Ctx() context: KafkaContext,
  ): Promise<void> {
    const message = context.getMessage();
    await this.intake.intake(payload, {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: message.offset,
    });
  }
}
