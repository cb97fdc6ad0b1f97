export * from './topics';
export * from './deterministic-id';
export * from './telemetry/telemetry-record';
export * from './telemetry/telemetry.schema';
export * from './telemetry/telemetry-validator';
export * from './reliability/reliability-event';
export * from './reliability/reliability-event.schema';
export * from './model-status/model-status';
