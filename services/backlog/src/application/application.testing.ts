import { Registry } from 'prom-client';
import type { EventStoreRepository } from '../event-store/event-store.repository';
import { InMemoryEventStore } from '../event-store/in-memory-event-store.testing';
import { BacklogMetrics } from '../observability/backlog-metrics';
import { CommandHandler } from './command-handler';
import { ItemsService } from './items.service';
import type { StreamProjection } from './stream-projection.port';

/** The write side over an in-memory event store, for unit specs of the application services. */
export function inMemoryWriteSide(projection: StreamProjection) {
  const store = new InMemoryEventStore();
  const metrics = new BacklogMetrics(new Registry());
  const handler = new CommandHandler(store as unknown as EventStoreRepository, projection, metrics);
  const items = new ItemsService(handler, store as unknown as EventStoreRepository);
  return { store, metrics, handler, items };
}
