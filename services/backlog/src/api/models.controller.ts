import {
  Body,
  Controller,
  Get,
  HttpCode,
  BadRequestException,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiAccepted,
  ApiIdempotencyKey,
  ApiIfMatch,
  ApiModelIdParam,
  ApiVersioned,
  checkModelId,
} from './api-docs.decorators';
import { ApiProblems } from './api-problems.decorator';
import { decodeCursor, encodeCursor } from './cursor';
import {
  AllocationViewDto,
  EventPageDto,
  IncidentPageDto,
  ModelHealthDto,
  ModelPageDto,
  ModelProfileViewDto,
} from './dto/responses.dto';
import type { Request, Response } from 'express';
import { ModelProfilesService } from '../application/model-profiles.service';
import { AuditService } from '../application/audit.service';
import { AuditDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';
import type { ModelProfile } from '../domain/models/model-profile.types';
import { ImpactQueries } from '../read-models/impact.queries';
import { ModelProfileDto } from './dto/model-profile.dto';
import { AsOfQueryDto } from './dto/item.dto';
import { commandOptions, parseAsOf, recordedEventView, setEtag } from './http-helpers';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { RebuildJobs } from '../read-models/projection/rebuild-jobs.service';
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
    private readonly impact: ImpactQueries,
    private readonly profiles: ModelProfilesService,
    private readonly audits: AuditService,
    private readonly rebuilds: RebuildJobs,
  ) {}

  @Get('models')
  @ApiOkResponse({ type: ModelPageDto })
  @ApiOperation({
    summary: 'Models with reliability history: health, open incidents, whether they block adoption',
  })
  async models() {
    return { items: await this.modelViews(), nextCursor: null };
  }

  @Get('models/:modelId')
  @ApiOkResponse({ type: ModelHealthDto })
  @ApiModelIdParam()
  @ApiOperation({
    summary:
      'One model: profile, latest status, value at risk, cost of delay, whether and why it blocks adoption',
  })
  async model(@Param('modelId') modelId: string) {
    const model = (await this.modelViews()).find((m) => m.modelId === checkModelId(modelId));
    if (!model) throw new NotFoundException(`no model ${modelId.slice(0, 128)}`);
    return model;
  }

  @Put('models/:modelId/profile')
  @ApiVersioned(ModelProfileViewDto, 'The profile at its new version')
  @ApiResponse({
    status: 201,
    type: ModelProfileViewDto,
    description: 'The first profile of the model',
  })
  @ApiModelIdParam()
  @ApiIfMatch()
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      "Set a model's profile (owner, tier, KPI, value per request, expectations, dependencies); versioned, with history and asOf",
  })
  async setProfile(
    @Param('modelId') modelId: string,
    @Body() body: ModelProfileDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const profile: ModelProfile = {
      ownerTeam: body.ownerTeam,
      tier: body.tier,
      kpi: body.kpi,
      valuePerRequest: body.valuePerRequest,
      interaction: body.interaction,
      expectedAccuracy: body.expectedAccuracy,
      expectedLabelDelayHours: body.expectedLabelDelayHours,
      retrainingCadenceDays: body.retrainingCadenceDays,
      upstream: body.upstream.map((u) => ({ name: u.name, kind: u.kind, owner: u.owner })),
      downstream: [...body.downstream],
    };
    const result = await this.profiles.set(
      checkModelId(modelId),
      profile,
      commandOptions(req, body),
    );
    // A new profile can open or close audit gaps (owner, value, dependencies, cadence, label delay).
    await this.audits.sync(modelId);
    setEtag(res, result.version);
    if (result.version === 1 && !result.replayed) res.status(201);
    return { ...result.state, version: result.version };
  }

  @Get('models/:modelId/profile')
  @ApiVersioned(ModelProfileViewDto, 'The profile (with ?asOf=: as it was then, without an ETag)')
  @ApiModelIdParam()
  @ApiOperation({ summary: "A model's profile; ?asOf= gives it as it was at that time" })
  async profile(
    @Param('modelId') modelId: string,
    @Query() q: AsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const asOf = parseAsOf(q.asOf);
    const { state, version } = await this.profiles.load(checkModelId(modelId), asOf);
    if (!state)
      throw new NotFoundException(
        `no profile for model ${modelId}${asOf ? ` at ${asOf.toISOString()}` : ''}`,
      );
    if (asOf) return { ...state, version, asOf: asOf.toISOString() };
    setEtag(res, version);
    return { ...state, version };
  }

  @Get('models/:modelId/profile/history')
  @ApiOkResponse({ type: EventPageDto })
  @ApiModelIdParam()
  @ApiOperation({ summary: "The profile's events, oldest first, with actor and time" })
  async profileHistory(@Param('modelId') modelId: string) {
    const events = await this.profiles.history(checkModelId(modelId));
    if (events.length === 0) throw new NotFoundException(`no profile for model ${modelId}`);
    return {
      items: events.map(recordedEventView),
      nextCursor: null,
    };
  }

  @Get('models/:modelId/audit')
  @ApiOkResponse({ type: AuditDto })
  @ApiModelIdParam()
  @ApiOperation({
    summary:
      "A model's technical-debt audit: each check pass / fail / not-applicable with its evidence and remedy, the coverage score and the technical-debt items it opened",
  })
  async audit(@Param('modelId') modelId: string) {
    const audit = await this.audits.audit(checkModelId(modelId));
    if (!audit) throw new NotFoundException(`no status or profile for model ${modelId}`);
    return audit;
  }

  @Get('audit')
  @ApiOkResponse({ type: AuditPageDto })
  @ApiOperation({
    summary:
      'The audit of every model with a status or a profile, sorted by coverage (lowest first by default), optionally only those failing one check',
  })
  async auditOfAll(@Query() q: AuditQueryDto) {
    let all = await this.audits.auditAll();
    if (q.failing) all = all.filter((a) => a.failing.includes(q.failing!));
    const sort = q.sort ?? 'coverage';
    const dir = sort === '-coverage' ? -1 : 1;
    const order = (a: { coverage: number; modelId: string }, b: typeof a) =>
      dir * (a.coverage - b.coverage) ||
      (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0);
    all.sort(order);
    // The cursor names the last (coverage, model) of the page and the order it was read in, so the
    // next page starts after it even when audits changed between the two requests.
    const after = decodeCursor('id', q.cursor);
    if (after !== undefined) {
      const [cursorSort, coverage, modelId] = after.split('|');
      if (cursorSort !== sort || !modelId || !Number.isFinite(Number(coverage)))
        throw new BadRequestException([
          'cursor belongs to another sort order: pass nextCursor from the previous page unchanged, with the same sort',
        ]);
      all = all.filter((a) => order(a, { coverage: Number(coverage), modelId }) > 0);
    }
    const limit = q.limit ?? 50;
    const items = all.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        all.length > limit && last
          ? encodeCursor('id', `${sort}|${last.coverage}|${last.modelId}`)
          : null,
    };
  }

  /** The health view (incidents, blocking) joined with profiles, statuses and value at risk. */
  private async modelViews() {
    const health = new Map((await this.queries.models()).map((m) => [m.modelId, m]));
    return (await this.impact.models()).map((v) => {
      const h = health.get(v.modelId);
      return {
        modelId: v.modelId,
        health: h?.health ?? 1,
        blocksAdoption: h?.blocksAdoption ?? false,
        openIncidents: h?.openIncidents ?? [],
        resolvedIncidents: h?.resolvedIncidents ?? 0,
        hasProfile: v.profile !== null,
        profile: v.profile,
        profileVersion: v.profileVersion,
        status: v.status,
        valueAtRisk: v.valueAtRisk,
        costOfDelay: v.costOfDelay,
        explanation: v.explanation,
      };
    });
  }

  @Get('models/:modelId/incidents')
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiOperation({ summary: "A model's open incidents" })
  @ApiModelIdParam()
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
