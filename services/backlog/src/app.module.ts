import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { HealthIndicatorService, MongooseHealthIndicator, TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import {
  createLogger,
  HealthController,
  MetricsModule,
  READINESS_CHECKS,
  readinessCheck,
} from '@fulcrum/platform';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './api/api-key.guard';
import { CeremoniesController } from './api/ceremonies.controller';
import { ItemsController } from './api/items.controller';
import { ModelsController } from './api/models.controller';
import { OperatorInjectionMiddleware } from './api/operator-injection.middleware';
import { MediaTypeMiddleware } from './api/media-type.middleware';
import { CeremoniesService } from './application/ceremonies.service';
import { CommandHandler } from './application/command-handler';
import { ItemsService } from './application/items.service';
import { ParkedMessagesRepository } from './parking/parked-messages.repository';
import { CeremoniesRepository } from './read-models/ceremonies/ceremonies.repository';
import { ItemsRepository } from './read-models/items/items.repository';
import { ModelProfilesRepository } from './read-models/model-profiles/model-profiles.repository';
import { ReadModelQueries } from './read-models/read-model.queries';
import { BACKLOG_CONFIG, BACKLOG_LOGGER, type BacklogConfig } from './config/backlog.config';
import { BACKLOG_UPCASTS } from './domain/upcasters';
import { UpcasterRegistry } from './event-store/upcasters';
import { EventStoreModule } from './event-store/event-store.module';
import { KafkaConsumerHealth } from './health/kafka-consumer.health';
import { AllocationGauges } from './observability/allocation-gauges';
import { BacklogMetrics } from './observability/backlog-metrics';
import { Projector } from './read-models/projection/projector.service';
import { ModelStatusRepository } from './read-models/model-status/model-status.repository';
import { ImpactQueries } from './read-models/impact.queries';
import { ImpactGauges } from './observability/impact-gauges';
import { ModelProfilesService } from './application/model-profiles.service';
import { AuditService } from './application/audit.service';
import { BriefService } from './application/brief.service';
import { BriefController } from './api/brief.controller';
import { BriefPageController } from './api/brief-page/brief-page.controller';
import { ModelStatusController } from './status-intake/model-status.controller';
import { STREAM_PROJECTION } from './application/stream-projection.port';
import { RebuildJobs } from './read-models/projection/rebuild-jobs.service';
import { ReliabilityEventsController } from './reliability-intake/reliability-events.controller';
import { ReliabilityIntakeService } from './reliability-intake/reliability-intake.service';

export { BACKLOG_LOGGER } from './config/backlog.config';

export class BacklogModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MediaTypeMiddleware, OperatorInjectionMiddleware).forRoutes('*path');
  }

  static forRoot(config: BacklogConfig) {
    const logger = createLogger('backlog', config.logLevel);
    @Module({
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false } }),
        MongooseModule.forRoot(config.mongoUri, {
          bufferCommands: false,
          serverSelectionTimeoutMS: 3000,
          connectTimeoutMS: 3000,
          socketTimeoutMS: 20000,
          retryWrites: false,
        }),
        EventStoreModule.withUpcasters(
          BACKLOG_UPCASTS.reduce(
            (registry, step) => registry.register(step.type, step.fromVersion, step.upcast),
            new UpcasterRegistry(),
          ),
        ),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot([{ name: 'api', ttl: 60_000, limit: config.rateLimitPerMinute }]),
        MetricsModule,
      ],
      controllers: [
        ItemsController,
        CeremoniesController,
        ModelsController,
        HealthController,
        ReliabilityEventsController,
        ModelStatusController,
        BriefController,
        BriefPageController,
      ],
      providers: [
        { provide: BACKLOG_CONFIG, useValue: config },
        { provide: BACKLOG_LOGGER, useValue: logger },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        BacklogMetrics,
        AllocationGauges,
        ImpactGauges,
        Projector,
        { provide: STREAM_PROJECTION, useExisting: Projector },
        RebuildJobs,
        CommandHandler,
        ItemsService,
        CeremoniesService,
        ItemsRepository,
        ParkedMessagesRepository,
        CeremoniesRepository,
        ModelProfilesRepository,
        ReadModelQueries,
        ReliabilityIntakeService,
        ModelStatusRepository,
        ImpactQueries,
        ModelProfilesService,
        AuditService,
        BriefService,
        KafkaConsumerHealth,
        {
          // Ready when MongoDB answers a ping and the intake consumer is a member of its group.
          provide: READINESS_CHECKS,
          inject: [HealthIndicatorService, MongooseHealthIndicator, KafkaConsumerHealth],
          useFactory: (
            indicators: HealthIndicatorService,
            mongo: MongooseHealthIndicator,
            kafka: KafkaConsumerHealth,
          ) => [
            () => mongo.pingCheck('mongodb', { timeout: 1500 }),
            readinessCheck(indicators, 'kafka', () => kafka.status()),
          ],
        },
      ],
    })
    class AppModule extends BacklogModule {}
    return AppModule;
  }
}
