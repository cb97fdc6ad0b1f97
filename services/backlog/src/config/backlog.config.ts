import { EnvReader, type ConfigError, type LogLevel } from '@fulcrum/platform';
import { topicNamesFromEnv, type TopicNames } from '@fulcrum/contracts';
import {
  DEFAULT_ALLOCATION_POLICY,
  type AllocationPolicy,
} from '../domain/allocation/allocation-policy';
import type { PoisonPolicy } from '../domain/fold-stream';
import type { AuditThresholds } from '../domain/audit/audit-checks';

export type Role = 'viewer' | 'editor' | 'admin';

export interface ApiKey {
  name: string;
  role: Role;
  secret: string;
}

export interface BacklogConfig {
  httpPort: number;
  currency: string;
  audit: AuditThresholds;
  bindHost: string;
  logLevel: LogLevel;
  mongoUri: string;
  kafkaBrokers: string[];
  clientId: string;
  groupId: string;
  topics: TopicNames;
  apiKeys: ApiKey[];
  allocationPolicy: AllocationPolicy;
  defaultCadenceDays: number;
  poisonPolicy: PoisonPolicy;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  consumeReliabilityEvents: boolean;
}

/** The service's pino logger, for providers that log outside a request. */
export const BACKLOG_LOGGER = Symbol('BACKLOG_LOGGER');

export const BACKLOG_CONFIG = Symbol('BACKLOG_CONFIG');

/**
 * FULCRUM_API_KEYS: comma-separated `name:role:secret` entries, role one of viewer / editor / admin;
 * the name becomes the actor recorded on every event the key writes.
 */
export function loadBacklogConfig(env: NodeJS.ProcessEnv = process.env): BacklogConfig {
  const r = new EnvReader(env);
  const apiKeys: ApiKey[] = [];
  for (const entry of r.list('FULCRUM_API_KEYS', [])) {
    const [name, role, ...rest] = entry.split(':');
    const secret = rest.join(':');
    if (!name || !['viewer', 'editor', 'admin'].includes(role) || secret.length < 12) {
      r.problem(
        `FULCRUM_API_KEYS entries must be name:role:secret with role viewer, editor or admin and a secret of at least 12 characters; got an entry for '${name ?? ''}'`,
      );
      continue;
    }
    apiKeys.push({ name, role: role as Role, secret });
  }
  const config: BacklogConfig = {
    httpPort: r.port('FULCRUM_BACKLOG_PORT', 3002),
    bindHost: r.bindHost(),
    logLevel: r.logLevel(),
    mongoUri: r.mongoUri('FULCRUM_MONGO_URI', 'mongodb://127.0.0.1:27017/fulcrum'),
    kafkaBrokers: r.brokers('FULCRUM_KAFKA_BROKERS', ['127.0.0.1:9092']),
    clientId: r.string('FULCRUM_BACKLOG_CLIENT_ID', 'fulcrum-backlog', /^[\w.-]{1,64}$/),
    groupId: r.string('FULCRUM_BACKLOG_GROUP_ID', 'fulcrum-backlog', /^[\w.-]{1,128}$/),
    topics: topicNamesFromEnv(env),
    apiKeys,
    allocationPolicy: {
      basePercent: r.int(
        'FULCRUM_ALLOCATION_BASE_PERCENT',
        DEFAULT_ALLOCATION_POLICY.basePercent,
        0,
        100,
      ),
      perBlockingModelPercent: r.int(
        'FULCRUM_ALLOCATION_PER_BLOCKING_MODEL_PERCENT',
        DEFAULT_ALLOCATION_POLICY.perBlockingModelPercent,
        0,
        100,
      ),
      capPercent: r.int(
        'FULCRUM_ALLOCATION_CAP_PERCENT',
        DEFAULT_ALLOCATION_POLICY.capPercent,
        0,
        100,
      ),
    },
    defaultCadenceDays: r.int('FULCRUM_CEREMONY_CADENCE_DAYS', 14, 1, 365),
    // The currency profiles state value per request in (ISO 4217 code).
    currency: r.string('FULCRUM_VALUE_CURRENCY', 'EUR', /^[A-Z]{3}$/),
    audit: {
      maxSlowRatio: r.number('FULCRUM_AUDIT_MAX_SLOW_RATIO', 0.05, 0, 1),
      defaultLabelDelayHours: r.number('FULCRUM_AUDIT_DEFAULT_LABEL_DELAY_HOURS', 24, 0, 24 * 365),
    },
    poisonPolicy: r.oneOf<PoisonPolicy>('FULCRUM_PROJECTION_POISON_POLICY', 'skip', [
      'skip',
      'stop',
    ]),
    bodyLimitBytes: r.int('FULCRUM_BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    rateLimitPerMinute: r.int('FULCRUM_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    consumeReliabilityEvents:
      r.string('FULCRUM_BACKLOG_CONSUME_EVENTS', 'true', /^(true|false)$/) === 'true',
  };
  if (config.allocationPolicy.capPercent < config.allocationPolicy.basePercent)
    r.problem('FULCRUM_ALLOCATION_CAP_PERCENT must be at least FULCRUM_ALLOCATION_BASE_PERCENT');
  r.done();
  return config;
}

export type { ConfigError };
