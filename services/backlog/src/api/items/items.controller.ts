import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../api-problems.decorator';
import {
  ApiCreatedVersioned,
  ApiIdempotencyKey,
  ApiIfMatch,
  ApiItemIdParam,
  ApiVersioned,
} from '../api-docs.decorators';
import { ITEM_ID } from '../../domain/items/item-id';
import { EventPageDto } from '../event-page.dto';
import { ItemDto, ItemPageDto } from './item-responses.dto';
import type { Request, Response } from 'express';
import { ItemsService } from '../../application/items.service';
import { ItemsRepository, type ItemRecord } from '../../read-models/items/items.repository';
import { toItemDocument } from '../../read-models/items/item.document';
import type { ItemState } from '../../domain/items/item.types';
import { ImpactQueries } from '../../read-models/impact.queries';
import {
  AsOfQueryDto,
  ChangeStatusDto,
  PageQueryDto,
  ListItemsQueryDto,
  ProposeItemDto,
  RescoreItemDto,
} from './item.dto';
import { commandOptions, parseAsOf, recordedEventView, setEtag } from '../http-helpers';
import { decodeCursor, encodeCursor } from '../cursor';

function itemId(id: string): string {
  if (!ITEM_ID.test(id)) throw new NotFoundException(`no item ${id.slice(0, 80)}`);
  return id;
}

@ApiTags('items')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1/items')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly itemDocs: ItemsRepository,
    private readonly impact: ImpactQueries,
  ) {}

  @Get()
  @ApiOkResponse({ type: ItemPageDto })
  @ApiOperation({
    summary: 'List items (cursor pagination), filtered by backlog, quadrant, status or model',
  })
  async list(@Query() q: ListItemsQueryDto) {
    const { backlog, quadrant, status, model } = q;
    const page = await this.itemDocs.page(
      { backlog, quadrant, status, model },
      q.limit ?? 50,
      decodeCursor('id', q.cursor),
    );
    return {
      items: (await this.impact.enrich(page.items)).map(view),
      nextCursor: page.nextAfter === null ? null : encodeCursor('id', page.nextAfter),
    };
  }

  @Post()
  @ApiCreatedVersioned(ItemDto, 'item')
  @ApiOperation({ summary: 'Propose an item into a backlog and quadrant' })
  @ApiIdempotencyKey()
  async propose(
    @Body() body: ProposeItemDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.items.propose(body, commandOptions(req, body));
    setEtag(res, result.version);
    res
      .status(result.replayed ? 200 : 201)
      .setHeader('Location', `/api/v1/items/${result.state.itemId}`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return this.answer(result);
  }

  @Get(':id')
  @ApiVersioned(ItemDto, 'The item (with ?asOf=: its state then, without an ETag)')
  @ApiItemIdParam()
  @ApiOperation({ summary: 'One item; ?asOf= gives its state at that time' })
  async get(
    @Param('id') id: string,
    @Query() q: AsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const asOf = parseAsOf(q.asOf);
    if (asOf) {
      const { state, version } = await this.items.load(itemId(id), asOf);
      if (!state) throw new NotFoundException(`item ${id} did not exist at ${asOf.toISOString()}`);
      return { ...state, version, asOf: asOf.toISOString() };
    }
    const item = await this.itemDocs.byId(itemId(id));
    if (!item) throw new NotFoundException(`no item ${id}`);
    setEtag(res, item.version);
    const [enriched] = await this.impact.enrich([item]);
    return view(enriched);
  }

  @Put(':id/scores')
  @ApiVersioned(ItemDto)
  @ApiItemIdParam()
  @ApiOperation({
    summary:
      'Rescore an item (If-Match for optimistic concurrency). On a reliability item this overrides the derived scores, with its rationale, until rescored again',
  })
  @ApiIfMatch()
  async rescore(
    @Param('id') id: string,
    @Body() body: RescoreItemDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.items.rescore(
      itemId(id),
      body.scores,
      body.rationale,
      commandOptions(req, body),
    );
    setEtag(res, result.version);
    return this.answer(result);
  }

  @Post(':id/transitions')
  @ApiVersioned(ItemDto)
  @ApiItemIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an item through its lifecycle, with rationale' })
  @ApiIfMatch()
  @ApiIdempotencyKey()
  async transition(
    @Param('id') id: string,
    @Body() body: ChangeStatusDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.items.changeStatus(
      itemId(id),
      body.to,
      body.rationale,
      null,
      commandOptions(req, body),
    );
    setEtag(res, result.version);
    return this.answer(result);
  }

  /**
   * A command's answer in the same shape as GET of the item: the state it left, with the impact
   * (value at risk, cost of delay, derived scores and their explanation) a reader would see.
   */
  private async answer(result: { state: ItemState; version: number }) {
    const [enriched] = await this.impact.enrich([
      { ...toItemDocument(result.state), version: result.version },
    ]);
    return view(enriched);
  }

  @Get(':id/history')
  @ApiOkResponse({ type: EventPageDto })
  @ApiItemIdParam()
  @ApiOperation({ summary: "The item's events, oldest first, with actor and time" })
  async history(@Param('id') id: string, @Query() q: PageQueryDto) {
    const from = decodeCursor('version', q.cursor) ?? 0;
    const events = await this.items.history(itemId(id));
    if (events.length === 0) throw new NotFoundException(`no item ${id}`);
    const limit = q.limit ?? 50;
    const slice = events.filter((e) => e.version > from).slice(0, limit);
    const last = slice[slice.length - 1];
    return {
      items: slice.map(recordedEventView),
      nextCursor:
        last && last.version < events[events.length - 1].version
          ? encodeCursor('version', last.version)
          : null,
    };
  }
}

/** The version last, after the impact the enrichment adds. */
function view({ version, ...rest }: ItemRecord) {
  return { ...rest, version };
}
