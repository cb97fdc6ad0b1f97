import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../api-problems.decorator';
import {
  ApiCeremonyIdParam,
  ApiCreatedVersioned,
  ApiIdempotencyKey,
  ApiIfMatch,
  ApiVersioned,
} from '../api-docs.decorators';
import { CeremonyDto, CeremonyPageDto } from './ceremony-responses.dto';
import type { Request, Response } from 'express';
import { CeremoniesService } from '../../application/ceremonies.service';
import { CeremoniesRepository } from '../../read-models/ceremonies/ceremonies.repository';
import { BACKLOG_CONFIG, type BacklogConfig } from '../../config/backlog.config';
import { AllocationDto, CloseCeremonyDto, DecisionDto, ScheduleCeremonyDto } from './ceremony.dto';
import { AsOfQueryDto, PageQueryDto } from '../items/item.dto';
import { commandOptions, parseAsOf, setEtag } from '../http-helpers';
import { decodeCursor, encodeCursor } from '../cursor';

const uuid = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new NotFoundException('no such ceremony'),
});

@ApiTags('ceremonies')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1/ceremonies')
export class CeremoniesController {
  constructor(
    private readonly ceremonies: CeremoniesService,
    private readonly ceremonyDocs: CeremoniesRepository,
    @Inject(BACKLOG_CONFIG) private readonly config: BacklogConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: CeremonyPageDto })
  @ApiOperation({ summary: 'List ceremonies' })
  async list(@Query() q: PageQueryDto) {
    const page = await this.ceremonyDocs.page(q.limit ?? 50, decodeCursor('id', q.cursor));
    return {
      items: page.items,
      nextCursor: page.nextAfter === null ? null : encodeCursor('id', page.nextAfter),
    };
  }

  @Post()
  @ApiCreatedVersioned(CeremonyDto, 'ceremony')
  @ApiOperation({ summary: 'Schedule a joint prioritization ceremony (default cadence 14 days)' })
  @ApiIdempotencyKey()
  async schedule(
    @Body() body: ScheduleCeremonyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = {
      title: body.title,
      scheduledFor: new Date(body.scheduledFor).toISOString(),
      cadenceDays: body.cadenceDays ?? this.config.defaultCadenceDays,
    };
    const result = await this.ceremonies.schedule(input, commandOptions(req, body));
    setEtag(res, result.version);
    res
      .status(result.replayed ? 200 : 201)
      .setHeader('Location', `/api/v1/ceremonies/${result.state.ceremonyId}`);
    return { ...result.state, version: result.version };
  }

  @Get(':id')
  @ApiVersioned(CeremonyDto, 'The ceremony (with ?asOf=: its state then, without an ETag)')
  @ApiCeremonyIdParam()
  @ApiOperation({ summary: 'One ceremony; ?asOf= gives its state at that time' })
  async get(
    @Param('id', uuid) id: string,
    @Query() q: AsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const asOf = parseAsOf(q.asOf);
    if (asOf) {
      const { state, version } = await this.ceremonies.load(id, asOf);
      if (!state)
        throw new NotFoundException(`ceremony ${id} did not exist at ${asOf.toISOString()}`);
      return { ...state, version, asOf: asOf.toISOString() };
    }
    const c = await this.ceremonyDocs.byId(id);
    if (!c) throw new NotFoundException(`no ceremony ${id}`);
    setEtag(res, c.version);
    return c;
  }

  @Post(':id/open')
  @ApiVersioned(CeremonyDto)
  @ApiCeremonyIdParam()
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Open the ceremony: snapshots model health, open incidents and the recommended reliability share',
  })
  @ApiIfMatch()
  async open(
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.ceremonies.open(id, commandOptions(req, {})));
  }

  @Post(':id/decisions')
  @ApiVersioned(CeremonyDto)
  @ApiCeremonyIdParam()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Commit, defer or drop an item, with rationale; the item moves accordingly',
  })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  async decide(
    @Param('id', uuid) id: string,
    @Body() body: DecisionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.ceremonies.decide(id, body, commandOptions(req, body)));
  }

  @Put(':id/allocation')
  @ApiVersioned(CeremonyDto)
  @ApiCeremonyIdParam()
  @ApiOperation({ summary: 'Set the capacity allocation per backlog and per quadrant (percent)' })
  @ApiIfMatch()
  async allocate(
    @Param('id', uuid) id: string,
    @Body() body: AllocationDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const allocation = {
      byBacklog: { capability: body.byBacklog.capability, reliability: body.byBacklog.reliability },
      byQuadrant: {
        'critical-feature': body.byQuadrant['critical-feature'],
        'model-hygiene': body.byQuadrant['model-hygiene'],
        'technical-debt': body.byQuadrant['technical-debt'],
        innovation: body.byQuadrant.innovation,
      },
      deviationRationale: body.deviationRationale ?? null,
    };
    return this.respond(
      res,
      await this.ceremonies.setAllocation(id, allocation, commandOptions(req, body)),
    );
  }

  @Post(':id/close')
  @ApiVersioned(CeremonyDto)
  @ApiCeremonyIdParam()
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Close: allocations must sum to 100 %, deferred critical reliability items and any shortfall against the recommendation need a rationale',
  })
  @ApiIfMatch()
  async close(
    @Param('id', uuid) id: string,
    @Body() body: CloseCeremonyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(
      res,
      await this.ceremonies.close(id, body.rationale ?? null, commandOptions(req, body)),
    );
  }

  private respond(res: Response, result: { state: unknown; version: number }) {
    setEtag(res, result.version);
    return { ...(result.state as object), version: result.version };
  }
}
