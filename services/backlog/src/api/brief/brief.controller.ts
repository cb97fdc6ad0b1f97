import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
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
import { BriefDto } from './brief.dto';

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
  async brief(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!CEREMONY_OR_NEXT.test(id)) throw new NotFoundException('no such ceremony');
    const ceremonyId = id === 'next' ? await this.briefs.nextCeremonyId() : id;
    const brief = ceremonyId ? await this.briefs.build(ceremonyId) : null;
    if (!brief)
      throw new NotFoundException(id === 'next' ? 'no ceremony yet' : `no ceremony ${id}`);
    if (req.accepts(['application/json', 'text/markdown']) === 'text/markdown') {
      res.type('text/markdown; charset=utf-8').send(briefToMarkdown(brief));
      return;
    }
    res.json(brief);
  }
}
