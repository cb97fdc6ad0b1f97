import type { ReadModelCollection } from '../read-model';

/**
 * Fed by the model-status intake, not by the event store: the latest status per model and the last
 * status of every hour.
 */
export const MODEL_STATUS_LATEST = 'model_status';
export const MODEL_STATUS_HOURLY = 'model_status_hourly';

export const modelStatusCollections: ReadModelCollection[] = [
  { name: MODEL_STATUS_LATEST },
  { name: MODEL_STATUS_HOURLY, indexes: [{ key: { modelId: 1, hour: 1 }, name: 'model_hour' }] },
];
