import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { BACKLOG_LOGGER } from '../../config/backlog.config';
import { ProjectionRebuilder, type RebuildReport } from './projection-rebuilder.service';
import { PROJECTION_REBUILDS } from './projection.collections';

export interface RebuildJob {
  jobId: string;
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  report: RebuildReport | null;
  error: string | null;
}

/**
 * A rebuild reads every event and may outlive any HTTP timeout, so it runs as a job: started by
 * one request, watched through another. Jobs are documents, so any instance can answer for them.
 * One rebuild at a time per instance; a second request while one runs gets the running job.
 */
@Injectable()
export class RebuildJobs {
  private running: RebuildJob | null = null;

  constructor(
    private readonly rebuilder: ProjectionRebuilder,
    @InjectConnection() private readonly connection: Connection,
    @Inject(BACKLOG_LOGGER) private readonly logger: Logger,
  ) {}

  private get jobs() {
    return this.connection.db!.collection<Omit<RebuildJob, 'jobId'> & { _id: string }>(
      PROJECTION_REBUILDS,
    );
  }

  async start(): Promise<RebuildJob> {
    if (this.running) return this.running;
    const job: RebuildJob = {
      jobId: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      report: null,
      error: null,
    };
    const { jobId, ...doc } = job;
    await this.jobs.insertOne({ _id: jobId, ...doc });
    this.running = job;
    void this.run(job);
    return job;
  }

  async get(jobId: string): Promise<RebuildJob | null> {
    const doc = await this.jobs.findOne({ _id: jobId });
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { jobId: _id, ...rest };
  }

  private async run(job: RebuildJob): Promise<void> {
    try {
      job.report = await this.rebuilder.rebuild();
      job.state = 'succeeded';
    } catch (error) {
      job.state = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, jobId: job.jobId }, 'projection rebuild failed');
    }
    job.finishedAt = new Date().toISOString();
    this.running = null;
    const { jobId, ...doc } = job;
    await this.jobs
      .replaceOne({ _id: jobId }, doc)
      .catch((error: unknown) =>
        this.logger.error({ err: error, jobId }, 'could not record the end of a rebuild'),
      );
  }
}
