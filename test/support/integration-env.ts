// Runs before each integration test file is loaded: the backlog's Kafka consumer binds its topic
// when its controller is imported, so each file gets its own reliability-events topic from here.
import { randomUUID } from 'node:crypto';

process.env.FULCRUM_TOPIC_RELIABILITY_EVENTS = `fulcrum.reliability-events.v1.t-${randomUUID().slice(0, 8)}`;
process.env.FULCRUM_LOG_LEVEL ??= 'warn';
process.env.FULCRUM_TOPIC_MODEL_STATUS = `fulcrum.model-status.v1.t-${randomUUID().slice(0, 8)}`;
