import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The problem+json body of every error, documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

export class ProblemDto {
  @ApiProperty({ example: '/problems/validation' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional() instance?: string;
}
