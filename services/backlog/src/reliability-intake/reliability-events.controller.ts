import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload, Transport } from '@nestjs/microservices';
import { topicNamesFromEnv } from '@fulcrum/contracts';
import { ReliabilityIntakeService } from './reliability-intake.service';

/**
 * The reliability-event consumer, on @nestjs/microservices' Kafka transport (low volume, so its
 * per-message handling is fine). Throwing (e.g. MongoDB down) leaves the offset uncommitted and
 * kafkajs redelivers; malformed events are parked, not thrown.
 */
@Controller()
export class ReliabilityEventsController {
  constructor(private readonly intake: ReliabilityIntakeService) {}

  // A decorator is evaluated when the class is defined, before any config object exists: the topic
  // comes from the same validated reader the config uses (a bad value has stopped start-up by then).
  // Transport.KAFKA: the id of the one microservice Kafka server (model statuses have a kafkajs
  // consumer of their own).
  @EventPattern(topicNamesFromEnv(process.env).reliabilityEvents, Transport.KAFKA)
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
