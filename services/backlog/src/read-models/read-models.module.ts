import { Module } from '@nestjs/common';
import { STREAM_PROJECTION } from '../application/stream-projection.port';
import { ImpactQueries } from './impact.queries';
import { ProjectionRebuilder } from './projection/projection-rebuilder.service';
import { Projector } from './projection/projector.service';
import { RebuildJobs } from './projection/rebuild-jobs.service';
import { ReadModelQueries } from './read-model.queries';
import { READ_MODEL_REPOSITORIES } from './read-models.registry';

/** The read models, their repositories and queries, and the projection that keeps them current. */
@Module({
  providers: [
    ...READ_MODEL_REPOSITORIES,
    ReadModelQueries,
    ImpactQueries,
    Projector,
    { provide: STREAM_PROJECTION, useExisting: Projector },
    ProjectionRebuilder,
    RebuildJobs,
  ],
  exports: [
    ...READ_MODEL_REPOSITORIES,
    ReadModelQueries,
    ImpactQueries,
    STREAM_PROJECTION,
    RebuildJobs,
  ],
})
export class ReadModelsModule {}
