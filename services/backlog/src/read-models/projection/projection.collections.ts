import type { ReadModelCollection } from '../read-model';

/** Events a projection could not apply, with the policy that handled them. */
export const PROJECTION_DEAD_LETTERS = 'projection_dead_letters';
/** Rebuild jobs started through the admin API, with their reports. */
export const PROJECTION_REBUILDS = 'projection_rebuilds';

export const projectionCollections: ReadModelCollection[] = [
  { name: PROJECTION_DEAD_LETTERS },
  { name: PROJECTION_REBUILDS },
];
