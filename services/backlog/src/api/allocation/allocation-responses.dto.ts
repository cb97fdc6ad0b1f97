import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The capacity allocation view, documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

class SharesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { capability: 70, reliability: 30 },
  })
  byBacklog!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'critical-feature': 50, 'model-hygiene': 25, 'technical-debt': 5, innovation: 20 },
  })
  byQuadrant!: Record<string, number>;
}

class AllocationPolicyDto {
  @ApiProperty() basePercent!: number;
  @ApiProperty() perBlockingModelPercent!: number;
  @ApiProperty() capPercent!: number;
}

class RecommendedAllocationDto {
  @ApiProperty({ description: 'Recommended reliability share (percent) from live model health' })
  reliabilityPercent!: number;
  @ApiProperty({ description: 'Models whose open incidents block adoption' })
  blockingModels!: number;
  @ApiProperty({ type: AllocationPolicyDto }) policy!: AllocationPolicyDto;
}

class PlannedAllocationDto extends SharesDto {
  @ApiProperty({ format: 'uuid' }) ceremonyId!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) closedAt?:
    string | null;
  @ApiProperty({ nullable: true, type: String }) deviationRationale!: string | null;
}

class ActualAllocationDto extends SharesDto {
  @ApiProperty({
    description: 'Effort points of committed and in-progress items the shares are taken over',
  })
  effortPoints!: number;
}

class DeviationDto {
  @ApiProperty({
    description: 'Planned reliability share minus the recommendation (percentage points)',
  })
  plannedMinusRecommendedPercent!: number;
  @ApiProperty({ nullable: true, type: String }) rationale!: string | null;
}

export class AllocationViewDto {
  @ApiProperty({ type: RecommendedAllocationDto }) recommended!: RecommendedAllocationDto;
  @ApiProperty({
    type: PlannedAllocationDto,
    nullable: true,
    description: 'From the last closed ceremony',
  })
  planned!: PlannedAllocationDto | null;
  @ApiProperty({
    type: PlannedAllocationDto,
    nullable: true,
    description: 'Set in the open ceremony, not yet closed',
  })
  draft!: PlannedAllocationDto | null;
  @ApiProperty({
    type: ActualAllocationDto,
    description: 'Shares of committed and in-progress effort',
  })
  actual!: ActualAllocationDto;
  @ApiProperty({ type: DeviationDto, nullable: true }) deviation!: DeviationDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastCeremonyClosedAt!:
    string | null;
}
