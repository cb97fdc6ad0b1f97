/**
 * What the projections count, as a port: the observability layer provides it (BacklogMetrics has
 * this shape), so read models never import the layer that reads them.
 */
export abstract class ProjectionMetrics {
  abstract readonly poisonedEvents: { inc(): void };
  abstract readonly rebuilds: { inc(): void };
}
