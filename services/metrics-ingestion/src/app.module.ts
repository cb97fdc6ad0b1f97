import { Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import {
  createLogger,
  HealthController,
  MetricsModule,
  READINESS_CHECKS,
  readinessCheck,
} from '@fulcrum/platform';
import { LoggerModule } from 'nestjs-pino';
import {
  INGESTION_CONFIG,
  loadIngestionConfig,
  type IngestionConfig,
} from './config/ingestion.config';
import { KafkaClients, PINO } from './kafka/kafka.providers';
import { ModelStateStore } from './model-state/model-state.store';
import { IngestionMetrics } from './observability/ingestion-metrics';
import { StateChangelogRepository } from './state-changelog/state-changelog.repository';
import { TelemetryPipeline } from './telemetry/telemetry-pipeline';
import { TelemetryPublisher } from './telemetry/telemetry-publisher';

export class IngestionModule {
  /** `config` lets tests run several instances in one process with their own settings. */
  static forRoot(config: IngestionConfig = loadIngestionConfig()) {
    const logger = createLogger('metrics-ingestion', config.logLevel);
    @Module({
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false } }),
        TerminusModule.forRoot({ logger: false }),
        MetricsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: INGESTION_CONFIG, useValue: config },
        { provide: PINO, useValue: logger },
        KafkaClients,
        ModelStateStore,
        StateChangelogRepository,
        IngestionMetrics,
        TelemetryPublisher,
        TelemetryPipeline,
        {
          // Ready when the producer is connected and this instance is a member of the group.
          provide: READINESS_CHECKS,
          inject: [HealthIndicatorService, TelemetryPipeline],
          useFactory: (indicators: HealthIndicatorService, pipeline: TelemetryPipeline) => [
            readinessCheck(indicators, 'kafka', () => pipeline.readiness()),
          ],
        },
      ],
    })
    class AppModule {}
    return AppModule;
  }
}
