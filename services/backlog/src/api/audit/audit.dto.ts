import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AUDIT_CHECKS, type AuditCheckName } from '../../domain/audit/audit-checks';
import { PageQueryDto } from '../items/item.dto';

/** Paginated like every list: `limit` (1–200, default 50) and `cursor` = the previous `nextCursor`. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['coverage', '-coverage'],
    description: 'Lowest coverage first by default',
  })
  @IsOptional()
  @IsIn(['coverage', '-coverage'])
  sort?: 'coverage' | '-coverage';
  @ApiPropertyOptional({ enum: AUDIT_CHECKS, description: 'Only models failing this check' })
  @IsOptional()
  @IsIn(AUDIT_CHECKS)
  failing?: AuditCheckName;
}

class CheckResultDto {
  @ApiProperty({ enum: AUDIT_CHECKS }) check!: string;
  @ApiProperty({ enum: ['pass', 'fail', 'not-applicable'] }) outcome!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The values the check looked at',
    example: { lastLabelsAt: '2026-02-10T06:00:00.000Z', ageHours: 30, expectedWithinHours: 12 },
  })
  evidence!: object;
  @ApiProperty({
    example: 'Send quality records (ground truth) at least as often as the profile expects.',
  })
  remedy!: string;
}

class GapDto {
  @ApiProperty({ enum: AUDIT_CHECKS }) check!: string;
  @ApiProperty({ description: 'The technical-debt item (debt-<UUID>)' }) itemId!: string;
  @ApiProperty() open!: boolean;
}

export class AuditDto {
  @ApiProperty({ example: 'fraud-scorer' }) modelId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Event time of the status audited',
  })
  at!: string | null;
  @ApiProperty({ nullable: true, type: Number, enum: [1, 2, 3] }) tier!: number | null;
  @ApiProperty({ type: [CheckResultDto] }) checks!: CheckResultDto[];
  @ApiProperty() passed!: number;
  @ApiProperty() applicable!: number;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.8, description: 'passed ÷ applicable checks' })
  coverage!: number;
  @ApiProperty({ type: [String], enum: AUDIT_CHECKS }) failing!: string[];
  @ApiProperty({ type: [GapDto] }) gaps!: GapDto[];
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditDto] }) items!: AuditDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
