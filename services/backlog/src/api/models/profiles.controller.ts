import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
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
import type { Request, Response } from 'express';
import { AuditService } from '../../application/audit.service';
import { ModelProfilesService } from '../../application/model-profiles.service';
import type { ModelProfile } from '../../domain/models/model-profile.types';
import {
  ApiIdempotencyKey,
  ApiIfMatch,
  ApiModelIdParam,
  ApiVersioned,
  checkModelId,
} from '../api-docs.decorators';
import { ApiProblems } from '../api-problems.decorator';
import { EventPageDto } from '../event-page.dto';
import { commandOptions, parseAsOf, recordedEventView, setEtag } from '../http-helpers';
import { AsOfQueryDto } from '../items/item.dto';
import { ModelProfileDto } from './model-profile.dto';
import { ModelProfileViewDto } from './model-responses.dto';

/** A model's profile: what telemetry cannot say, versioned, with history and asOf. */
@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class ProfilesController {
  constructor(
    private readonly profiles: ModelProfilesService,
    private readonly audits: AuditService,
  ) {}

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
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_setProfile',
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
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_profile',
    summary: "A model's profile; ?asOf= gives it as it was at that time",
  })
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
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_profileHistory',
    summary: "The profile's events, oldest first, with actor and time",
  })
  async profileHistory(@Param('modelId') modelId: string) {
    const events = await this.profiles.history(checkModelId(modelId));
    if (events.length === 0) throw new NotFoundException(`no profile for model ${modelId}`);
    return {
      items: events.map(recordedEventView),
      nextCursor: null,
    };
  }
}
