import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { BACKLOG_CONFIG, BACKLOG_LOGGER, type BacklogConfig } from './config/backlog.config';
import { BACKLOG_UPCASTS } from './domain/upcasters';
import { EventStoreModule } from './event-store/event-store.module';
import { UpcasterRegistry } from './event-store/upcasters';
import { KafkaConsumerHealth } from './health/kafka-consumer.health';
import { BacklogMetrics } from './observability/backlog-metrics';
import { ProjectionMetrics } from './read-models/projection/projection-metrics';

/**
 * What every feature module uses and none owns: the validated config, the logger, the counters,
 * the event store and the intake consumers' health. Global, like Nest's own ConfigModule, so a
 * feature module lists only the features it depends on.
 */
@Global()
@Module({})
export class BacklogPlatformModule {
  static forRoot(config: BacklogConfig, logger: Logger): DynamicModule {
    const eventStore = EventStoreModule.withUpcasters(
      BACKLOG_UPCASTS.reduce(
        (registry, step) => registry.register(step.type, step.fromVersion, step.upcast),
        new UpcasterRegistry(),
      ),
    );
    return {
      module: BacklogPlatformModule,
      imports: [eventStore],
      providers: [
        { provide: BACKLOG_CONFIG, useValue: config },
        { provide: BACKLOG_LOGGER, useValue: logger },
        BacklogMetrics,
        { provide: ProjectionMetrics, useExisting: BacklogMetrics },
        KafkaConsumerHealth,
      ],
      exports: [
        EventStoreModule,
        BACKLOG_CONFIG,
        BACKLOG_LOGGER,
        BacklogMetrics,
        ProjectionMetrics,
        KafkaConsumerHealth,
      ],
    };
  }
}
