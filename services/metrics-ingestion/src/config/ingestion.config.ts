import { EnvReader, type LogLevel } from '@fulcrum/platform';
import { topicNamesFromEnv, type TopicNames } from '@fulcrum/contracts';
import { RuleSettingsResolver } from '../settings/rule-settings.loader';

export interface IngestionConfig {
  httpPort: number;
  bindHost: string;
  logLevel: LogLevel;
  kafkaBrokers: string[];
  clientId: string;
  groupId: string;
  topics: TopicNames;
  maxRecordBytes: number;
  maxEventTimeSkewMs: number;
  staleCheckIntervalMs: number;
  partitionsConsumedConcurrently: number;
  checkpointIntervalMs: number;
  sessionTimeoutMs: number;
  rules: RuleSettingsResolver;
}

export const INGESTION_CONFIG = Symbol('INGESTION_CONFIG');

/** Validated once at start-up; a bad value stops the service with a message naming it. */
export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  const r = new EnvReader(env);
  const config = {
    httpPort: r.port('FULCRUM_INGESTION_PORT', 3001),
    bindHost: r.bindHost(),
    logLevel: r.logLevel(),
    kafkaBrokers: r.brokers('FULCRUM_KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId: r.string(
      'FULCRUM_INGESTION_CLIENT_ID',
      'fulcrum-metrics-ingestion',
      /^[\w.-]{1,64}$/,
    ),
    groupId: r.string('FULCRUM_INGESTION_GROUP_ID', 'fulcrum-metrics-ingestion', /^[\w.-]{1,128}$/),
    topics: topicNamesFromEnv(env),
    maxRecordBytes: r.int('FULCRUM_MAX_RECORD_BYTES', 256 * 1024, 1024, 8 * 1024 * 1024),
    // How far ahead of this service's clock an eventTime may be (1 s – 7 days).
    maxEventTimeSkewMs: r.int('FULCRUM_MAX_EVENT_TIME_SKEW_MS', 5 * 60_000, 1000, 7 * 86_400_000),
    staleCheckIntervalMs: r.int('FULCRUM_STALE_CHECK_INTERVAL_MS', 30_000, 100, 3_600_000),
    partitionsConsumedConcurrently: r.int('FULCRUM_INGESTION_PARTITION_CONCURRENCY', 6, 1, 64),
    checkpointIntervalMs: r.int('FULCRUM_CHECKPOINT_INTERVAL_MS', 1000, 0, 60_000),
    // Kafka refuses session timeouts outside the broker's group.{min,max}.session.timeout.ms (6 s–30 min).
    sessionTimeoutMs: r.int('FULCRUM_INGESTION_SESSION_TIMEOUT_MS', 30_000, 6_000, 1_800_000),
  };
  let rules = new RuleSettingsResolver();
  try {
    rules = RuleSettingsResolver.fromFile(env.FULCRUM_RULES_FILE);
  } catch (error) {
    r.problem(`FULCRUM_RULES_FILE: ${(error as Error).message}`);
  }
  r.done();
  return { ...config, rules };
}
