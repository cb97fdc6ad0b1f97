import { Controller, Get, NotFoundException, Param, Post, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ReadModelQueries } from '../application/read-model.queries';
import { Projector } from '../projections/projector.service';
import { RequireRole } from './api-key.guard';

@ApiTags('models & allocation')
@ApiSecurity('api-key')
@Controller('api/v1')
export class ModelsController {
  constructor(
    private readonly queries: ReadModelQueries,
    private readonly projector: Projector,
  ) {}

  @Get('models')
  @ApiOperation({
    summary: 'Models with reliability history: health, open incidents, whether they block adoption',
  })
  async models() {
    const models = await this.queries.models();
    return { items: models, nextCursor: null };
  }

  @Get('models/:modelId/incidents')
  @ApiOperation({ summary: "A model's open incidents" })
  async incidents(@Param('modelId') modelId: string) {
    const model = (await this.queries.models()).find((m) => m.modelId === modelId);
    if (!model)
      throw new NotFoundException(`no reliability history for model ${modelId.slice(0, 128)}`);
    return { items: model.openIncidents, nextCursor: null };
  }

  @Get('allocation')
  @ApiOperation({
    summary:
      'Capacity allocation: planned (last closed ceremony), actual (committed work), recommended (model health), and the deviation',
  })
  async allocation() {
    return this.queries.allocation();
  }

  @Post('admin/projections/rebuild')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Rebuild every read model from the event store; reports documents that changed',
  })
  async rebuild() {
    return this.projector.rebuild();
  }
}
