import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ImpactQueries } from '../../read-models/impact.queries';
import { ReadModelQueries } from '../../read-models/read-model.queries';
import { ApiModelIdParam, checkModelId } from '../api-docs.decorators';
import { ApiProblems } from '../api-problems.decorator';
import { IncidentPageDto, ModelHealthDto, ModelPageDto } from './model-responses.dto';

/** Models as telemetry, incidents and profiles know them: health, value at risk, blocking. */
@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class ModelsController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly impact: ImpactQueries,
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
}
