import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { createBacklogApp } from '../../services/backlog/src/bootstrap';
import {
  loadBacklogConfig,
  type BacklogConfig,
} from '../../services/backlog/src/config/backlog.config';
import { BROKERS, MONGO_URI_BASE } from './kafka-test-kit';

export const KEYS = {
  viewer: 'viewer-key-0123456789',
  editor: 'editor-key-0123456789',
  admin: 'admin-key-01234567890',
};

/** A real backlog app on a fresh database of the real server, listening on an ephemeral port. */
export async function startBacklog(
  opts: { consume?: boolean; database?: string; env?: Record<string, string> } = {},
): Promise<{
  app: INestApplication;
  config: BacklogConfig;
  db: Db;
  client: MongoClient;
  database: string;
}> {
  const database = opts.database ?? `fulcrum_test_${randomUUID().slice(0, 8)}`;
  const config = loadBacklogConfig({
    FULCRUM_MONGO_URI: `${MONGO_URI_BASE}/${database}`,
    FULCRUM_KAFKA_BROKERS: BROKERS.join(','),
    FULCRUM_API_KEYS: `viewer:viewer:${KEYS.viewer},alice:editor:${KEYS.editor},root:admin:${KEYS.admin}`,
    FULCRUM_BACKLOG_GROUP_ID: `fulcrum-backlog-test-${randomUUID().slice(0, 8)}`,
    FULCRUM_BACKLOG_CONSUME_EVENTS: opts.consume ? 'true' : 'false',
    FULCRUM_RATE_LIMIT_PER_MINUTE: '100000',
    ...opts.env,
  });
  const app = await createBacklogApp(config, { quiet: true });
  await app.listen(0, '127.0.0.1');
  const client = new MongoClient(`${MONGO_URI_BASE}/${database}`);
  await client.connect();
  return { app, config, db: client.db(database), client, database };
}
