import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TopicNames } from '@fulcrum/contracts';
import { randomUUID } from 'node:crypto';
import { IngestionModule } from '../../services/metrics-ingestion/src/app.module';
import type { IngestionConfig } from '../../services/metrics-ingestion/src/config/ingestion.config';
import {
  RuleSettingsResolver,
  type RulesFile,
} from '../../services/metrics-ingestion/src/settings/rule-settings.loader';
import { BROKERS } from './kafka-test-kit';

/** A real metrics-ingestion app in this process, on its own topics and consumer group. */
export async function startIngestion(
  topics: TopicNames,
  opts: { groupId?: string; rules?: RulesFile; staleCheckIntervalMs?: number } = {},
): Promise<{ app: INestApplication; config: IngestionConfig }> {
  const config: IngestionConfig = {
    httpPort: 0,
    bindHost: '127.0.0.1',
    logLevel: 'warn',
    kafkaBrokers: BROKERS,
    clientId: 'fulcrum-ingestion-test',
    groupId: opts.groupId ?? `fulcrum-ingestion-test-${randomUUID().slice(0, 8)}`,
    topics,
    maxRecordBytes: 64 * 1024,
    maxEventTimeSkewMs: 5 * 60_000,
    staleCheckIntervalMs: opts.staleCheckIntervalMs ?? 60_000,
    partitionsConsumedConcurrently: 2,
    checkpointIntervalMs: 200,
    sessionTimeoutMs: 30_000,
    rules: new RuleSettingsResolver(opts.rules ?? {}),
  };
  const app = await NestFactory.create(IngestionModule.forRoot(config), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, config };
}
