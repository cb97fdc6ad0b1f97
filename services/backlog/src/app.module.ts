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
import { AdminModule } from './api/admin/admin.module';
import { AllocationModule } from './api/allocation/allocation.module';
import { ApiKeyGuard } from './api/api-key.guard';
import { AuditModule } from './api/audit/audit.module';
import { BriefModule } from './api/brief/brief.module';
import { CeremoniesModule } from './api/ceremonies/ceremonies.module';
import { ItemsModule } from './api/items/items.module';
import { MediaTypeMiddleware } from './api/media-type.middleware';
import { ModelsModule } from './api/models/models.module';
import { OperatorInjectionMiddleware } from './api/operator-injection.middleware';
import { BacklogPlatformModule } from './backlog-platform.module';
import type { BacklogConfig } from './config/backlog.config';
import { KafkaConsumerHealth } from './health/kafka-consumer.health';
import { ObservabilityModule } from './observability/observability.module';
import { ReliabilityIntakeModule } from './reliability-intake/reliability-intake.module';
import { StatusIntakeModule } from './status-intake/status-intake.module';

export { BACKLOG_LOGGER } from './config/backlog.config';

/**
 * The backlog service: the platform (config, logger, counters, event store), one module per API
 * feature, the two Kafka intakes and the scrape-time gauges. Each feature module imports the
 * application and read-model modules it uses.
 */
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
        BacklogPlatformModule.forRoot(config, logger),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot([{ name: 'api', ttl: 60_000, limit: config.rateLimitPerMinute }]),
        MetricsModule,
        ItemsModule,
        CeremoniesModule,
        ModelsModule,
        AuditModule,
        AllocationModule,
        AdminModule,
        BriefModule,
        ReliabilityIntakeModule,
        StatusIntakeModule,
        ObservabilityModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
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
