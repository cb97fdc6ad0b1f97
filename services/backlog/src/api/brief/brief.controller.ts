import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { briefToMarkdown } from '../../application/brief/brief-markdown';
import { BriefService } from '../../application/brief.service';
import { ApiProblems } from '../api-problems.decorator';
import { BriefDto, BriefQueryDto, BriefTrendsDto, BriefTrendsQueryDto } from './brief.dto';

const CEREMONY_OR_NEXT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|next)$/;

@ApiTags('ceremonies')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1/ceremonies')
export class BriefController {
  constructor(private readonly briefs: BriefService) {}

  @Get(':id/brief')
  @ApiParam({
    name: 'id',
    description: 'A ceremony id, or `next` for the open ceremony (else the next scheduled one)',
    schema: { type: 'string', pattern: CEREMONY_OR_NEXT.source },
  })
  @ApiProduces('application/json', 'text/markdown')
  @ApiOkResponse({
    type: BriefDto,
    description:
      'The ceremony brief: health since the last ceremony, value at risk and cost of delay, allocation, candidates by quadrant, the previous ceremony’s outcome, the audit, the decisions. With `Accept: text/markdown`, the same as Markdown (a closed ceremony’s minutes).',
  })
  @ApiOperation({ summary: 'The ceremony brief (JSON, or Markdown with Accept: text/markdown)' })
  async brief(
    @Param('id') id: string,
    @Query() q: BriefQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!CEREMONY_OR_NEXT.test(id)) throw new NotFoundException('no such ceremony');
    const ceremonyId = id === 'next' ? await this.briefs.nextCeremonyId() : id;
    const brief = ceremonyId ? await this.briefs.build(ceremonyId, q.trends) : null;
    if (!brief)
      throw new NotFoundException(id === 'next' ? 'no ceremony yet' : `no ceremony ${id}`);
    if (req.accepts(['application/json', 'text/markdown']) === 'text/markdown') {
      res.type('text/markdown; charset=utf-8').send(briefToMarkdown(brief));
      return;
    }
    res.json(brief);
  }

  @Get(':id/brief/trends')
  @ApiParam({
    name: 'id',
    description: 'A ceremony id, or `next`',
    schema: { type: 'string', pattern: CEREMONY_OR_NEXT.source },
  })
  @ApiOkResponse({
    type: BriefTrendsDto,
    description:
      'The hourly trends of the named models, as the brief of this ceremony would show them: what the brief leaves out beyond its first `trends` models.',
  })
  @ApiOperation({ summary: 'Hourly trends of some models for a ceremony brief' })
  async trends(@Param('id') id: string, @Query() q: BriefTrendsQueryDto): Promise<BriefTrendsDto> {
    if (!CEREMONY_OR_NEXT.test(id)) throw new NotFoundException('no such ceremony');
    const ceremonyId = id === 'next' ? await this.briefs.nextCeremonyId() : id;
    const trends = ceremonyId ? await this.briefs.trendsFor(ceremonyId, q.models) : null;
    if (!trends)
      throw new NotFoundException(id === 'next' ? 'no ceremony yet' : `no ceremony ${id}`);
    return trends;
  }
}
