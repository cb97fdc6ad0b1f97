import { Controller, Get, NotFoundException, Param, Post, HttpCode, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiAccepted } from './api-docs.decorators';
import { ApiProblems } from './api-problems.decorator';
import { AllocationViewDto, IncidentPageDto, ModelPageDto } from './dto/responses.dto';
import type { Response } from 'express';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { RebuildJobs } from '../read-models/rebuild-jobs.service';
import { RebuildJobDto } from './dto/rebuild-job.dto';
import { RequireRole } from './api-key.guard';

@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class ModelsController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly rebuilds: RebuildJobs,
  ) {}

  @Get('models')
  @ApiOkResponse({ type: ModelPageDto })
  @ApiOperation({
    summary: 'Models with reliability history: health, open incidents, whether they block adoption',
  })
  async models() {
    const models = await this.queries.models();
    return { items: models, nextCursor: null };
  }

  @Get('models/:modelId/incidents')
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiOperation({ summary: "A model's open incidents" })
  async incidents(@Param('modelId') modelId: string) {
    const model = (await this.queries.models()).find((m) => m.modelId === modelId);
    if (!model)
      throw new NotFoundException(`no reliability history for model ${modelId.slice(0, 128)}`);
    return { items: model.openIncidents, nextCursor: null };
  }

  @Get('allocation')
  @ApiOkResponse({ type: AllocationViewDto })
  @ApiOperation({
    summary:
      'Capacity allocation: planned (last closed ceremony), actual (committed work), recommended (model health), and the deviation',
  })
  async allocation() {
    return this.queries.allocation();
  }

  @Post('admin/projections/rebuild')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiOperation({
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
    summary: 'A projection rebuild job: running, succeeded (with its report) or failed',
  })
  @ApiResponse({ status: 200, type: RebuildJobDto })
  async rebuildJob(@Param('jobId') jobId: string): Promise<RebuildJobDto> {
    const job = await this.rebuilds.get(jobId);
    if (!job) throw new NotFoundException(`no rebuild job ${jobId.slice(0, 64)}`);
    return job;
  }
}
