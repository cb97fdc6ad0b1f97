import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EVENT_COMMITS_COLLECTION, EventCommitSchema } from './event-commit.schema';
import { EventStoreRepository } from './event-store.repository';
import { UpcasterRegistry } from './upcasters';

/** Reusable: give it an UpcasterRegistry and it stores any event-sourced aggregate's streams. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: EVENT_COMMITS_COLLECTION, schema: EventCommitSchema }]),
  ],
  providers: [EventStoreRepository],
  exports: [EventStoreRepository],
})
export class EventStoreModule {
  static withUpcasters(registry: UpcasterRegistry) {
    return {
      module: EventStoreModule,
      providers: [{ provide: UpcasterRegistry, useValue: registry }],
      exports: [UpcasterRegistry],
    };
  }
}
