import { Module } from '@nestjs/common';
import { STREAM_PROJECTION } from '../application/stream-projection.port';
import { CeremoniesRepository } from './ceremonies/ceremonies.repository';
import { ImpactQueries } from './impact.queries';
import { ItemsRepository } from './items/items.repository';
import { ModelProfilesRepository } from './model-profiles/model-profiles.repository';
import { ModelStatusRepository } from './model-status/model-status.repository';
import { ProjectionRebuilder } from './projection/projection-rebuilder.service';
import { Projector } from './projection/projector.service';
import { RebuildJobs } from './projection/rebuild-jobs.service';
import { ReadModelQueries } from './read-model.queries';

/** The read models, their repositories and queries, and the projection that keeps them current. */
@Module({
  providers: [
    CeremoniesRepository,
    ItemsRepository,
    ModelProfilesRepository,
    ModelStatusRepository,
    ReadModelQueries,
    ImpactQueries,
    Projector,
    { provide: STREAM_PROJECTION, useExisting: Projector },
    ProjectionRebuilder,
    RebuildJobs,
  ],
  exports: [
    CeremoniesRepository,
    ItemsRepository,
    ModelProfilesRepository,
    ModelStatusRepository,
    ReadModelQueries,
    ImpactQueries,
    STREAM_PROJECTION,
    RebuildJobs,
  ],
})
export class ReadModelsModule {}
