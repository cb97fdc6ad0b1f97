import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../../application/audit.service';
import { ApiModelIdParam, checkModelId } from '../api-docs.decorators';
import { ApiProblems } from '../api-problems.decorator';
import { decodeCursor, encodeCursor } from '../cursor';
import { AuditDto, AuditPageDto, AuditQueryDto } from './audit.dto';

/** The technical-debt audit of one model and of all of them. */
@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class AuditController {
  constructor(private readonly audits: AuditService) {}

  @Get('models/:modelId/audit')
  @ApiOkResponse({ type: AuditDto })
  @ApiModelIdParam()
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_audit',
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
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_auditOfAll',
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
}
