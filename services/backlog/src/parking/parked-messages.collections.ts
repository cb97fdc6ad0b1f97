export const PARKED_RELIABILITY_EVENTS = 'parked_reliability_events';
export const PARKED_MODEL_STATUS = 'parked_model_status';

/** Created at start-up with the read models' collections. */
export const parkingCollections = [
  { name: PARKED_RELIABILITY_EVENTS },
  { name: PARKED_MODEL_STATUS },
];
