import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ReadModelQueries } from '../../read-models/read-model.queries';
import { ApiProblems } from '../api-problems.decorator';
import { AllocationViewDto } from './allocation-responses.dto';

/** Planned, actual and recommended capacity allocation. */
@ApiTags('models & allocation')
@ApiProblems()
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@Controller('api/v1')
export class AllocationController {
  constructor(private readonly queries: ReadModelQueries) {}

  @Get('allocation')
  @ApiOkResponse({ type: AllocationViewDto })
  @ApiOperation({
    // The operationId it had before the API was split by resource: generated clients name it.
    operationId: 'ModelsController_allocation',
    summary:
      'Capacity allocation: planned (last closed ceremony), actual (committed work), recommended (model health), and the deviation',
  })
  async allocation() {
    return this.queries.allocation();
  }
}
