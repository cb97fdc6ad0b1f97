import { Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RebuildJobs } from '../../read-models/projection/rebuild-jobs.service';
import { ApiAccepted } from '../api-docs.decorators';
import { RequireRole } from '../api-key.guard';
import { ApiProblems } from '../api-problems.decorator';
import { RebuildJobDto } from './rebuild-job.dto';

/** Operating the read models: rebuild them from the event store, as a job. */
@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class ProjectionsController {
  constructor(private readonly rebuilds: RebuildJobs) {}

  @Post('admin/projections/rebuild')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_rebuild',
    summary:
      'Start rebuilding every read model from the event store (202); follow the Location to the job, whose report counts the documents that changed',
  })
  @ApiAccepted(RebuildJobDto, 'rebuild job')
  async rebuild(@Res({ passthrough: true }) res: Response): Promise<RebuildJobDto> {
    const job = await this.rebuilds.start();
    res.location(`/api/v1/admin/projections/rebuilds/${job.jobId}`);
    return job;
  }

  @Get('admin/projections/rebuilds/:jobId')
  @RequireRole('admin')
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_rebuildJob',
    summary: 'A projection rebuild job: running, succeeded (with its report) or failed',
  })
  @ApiResponse({ status: 200, type: RebuildJobDto })
  async rebuildJob(@Param('jobId') jobId: string): Promise<RebuildJobDto> {
    const job = await this.rebuilds.get(jobId);
    if (!job) throw new NotFoundException(`no rebuild job ${jobId.slice(0, 64)}`);
    return job;
  }
}
