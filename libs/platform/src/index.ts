export * from './env-reader';
export * from './kafka-client.factory';
export * from './metrics.module';
export * from './metrics.controller';
export * from './logger';
export * from './kafka-topics';
export * from './produce-in-slices';
export * from './health.controller';
