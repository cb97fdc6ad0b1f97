import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BACKLOGS, QUADRANTS } from '../../domain/items/item.types';

/**
 * Ceremonies as the API answers them, documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

class DecisionOutDto {
  @ApiProperty() itemId!: string;
  @ApiProperty({ enum: ['commit', 'defer', 'drop'] }) decision!: string;
  @ApiProperty() rationale!: string;
  @ApiProperty({ enum: BACKLOGS }) backlog!: string;
  @ApiProperty({ enum: QUADRANTS }) quadrant!: string;
  @ApiProperty() criticalReliability!: boolean;
  @ApiProperty() decidedBy!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Deferred reliability items: { perHour, hours, amount, currency, until } — the projected cost of deferring until the next ceremony: value at risk per hour at the decision moment × the exact hours from the decision moment (not the ceremony date) until `until` (this ceremony + its cadence); amount to the cent, hours shown to a tenth',
  })
  projectedCostOfDelay?: object;
}

class AllocationOutDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  byBacklog!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  byQuadrant!: Record<string, number>;
  @ApiProperty({ nullable: true, type: String }) deviationRationale!: string | null;
}

class SnapshotOutDto {
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) models!: object[];
  @ApiProperty() recommendedReliabilityShare!: number;
  @ApiProperty() blockingModels!: number;
}

export class CeremonyDto {
  @ApiProperty() ceremonyId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['scheduled', 'open', 'closed'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) scheduledFor!: string;
  @ApiProperty() cadenceDays!: number;
  @ApiProperty({ type: SnapshotOutDto, nullable: true }) snapshot!: SnapshotOutDto | null;
  @ApiProperty({ type: [DecisionOutDto] }) decisions!: DecisionOutDto[];
  @ApiProperty({ type: AllocationOutDto, nullable: true }) allocation!: AllocationOutDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) openedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closingRationale!: string | null;
  @ApiProperty() facilitator!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Set when ?asOf= was given' })
  asOf?: string;
}

export class CeremonyPageDto {
  @ApiProperty({ type: [CeremonyDto] }) items!: CeremonyDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
