import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

/** Every error of the API is an RFC 9457 problem document (see ProblemDetailsFilter). */
export function ApiProblems(): ClassDecorator & MethodDecorator {
  const content = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } };
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ApiResponse({ status: '4XX', description: 'Refused: problem details', content }),
    ApiResponse({ status: '5XX', description: 'Unavailable or failed: problem details', content }),
  );
}
