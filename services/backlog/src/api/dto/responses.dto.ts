import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ITEM_STATUSES, BACKLOGS, QUADRANTS } from '../../domain/items/item.types';

/**
 * Response shapes, documented so clients (and schemathesis's conformance check) can rely on them.
 * They describe what the read models and command handlers return; they validate nothing.
 */

export class ProblemDto {
  @ApiProperty({ example: '/problems/validation' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional() instance?: string;
}

class ScoresOutDto {
  @ApiProperty() userImpact!: number;
  @ApiProperty() systemRisk!: number;
  @ApiProperty() timeCriticality!: number;
  @ApiProperty() effort!: number;
  @ApiProperty() confidence!: number;
}

class ReliabilityLinkDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() modelId!: string;
  @ApiProperty() rule!: string;
  @ApiProperty({ enum: ['warning', 'critical'] }) severity!: string;
  @ApiProperty() observed!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty() blocksAdoption!: boolean;
  @ApiProperty() open!: boolean;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ type: [String] }) eventIds!: string[];
}

export class ItemDto {
  @ApiProperty() itemId!: string;
  @ApiProperty({ enum: BACKLOGS }) backlog!: string;
  @ApiProperty({ enum: QUADRANTS }) quadrant!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) linkedModels!: string[];
  @ApiProperty({ type: ScoresOutDto }) scores!: ScoresOutDto;
  @ApiProperty() priorityScore!: number;
  @ApiProperty({ enum: ITEM_STATUSES }) status!: string;
  @ApiProperty({ type: ReliabilityLinkDto, nullable: true })
  reliability!: ReliabilityLinkDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastRationale!: string | null;
  @ApiProperty({ description: 'Stream version; also the ETag' }) version!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Set when ?asOf= was given' })
  asOf?: string;
  @ApiPropertyOptional({ format: 'date-time' }) committedAt?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Set when a person overrode the derived scores: { rationale, at }',
  })
  scoresOverride?: object;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Reliability and technical-debt items: value at risk, cost of delay, the derived scores and their explanation, and whether derived or overridden scores rank the item. Present on GET and on the answer to every command on the item. Derived scores are clamped to 1–10 and rounded to whole numbers (halves up) before the priority formula; cost of delay counts whole hours of the status history (a partial hour counts as a whole one, at the value at risk of its last status).',
  })
  impact?: object;
}

export class ItemPageDto {
  @ApiProperty({ type: [ItemDto] }) items!: ItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

class RecordedEventDto {
  @ApiProperty() version!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty() actor!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class EventPageDto {
  @ApiProperty({ type: [RecordedEventDto] }) items!: RecordedEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class IncidentDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() rule!: string;
  @ApiProperty() severity!: string;
  @ApiProperty() blocksAdoption!: boolean;
  @ApiProperty() itemId!: string;
  @ApiProperty() observed!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
}

class ValueAtRiskDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Estimate per hour; null when it cannot be estimated',
  })
  perHour!: number | null;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Per open incident: rule, perHour, requestsPerHour, valuePerRequest, share, basis',
  })
  byIncident!: object[];
}

export class ModelHealthDto {
  @ApiProperty() modelId!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) health!: number;
  @ApiProperty() blocksAdoption!: boolean;
  @ApiProperty({ type: [IncidentDto] }) openIncidents!: IncidentDto[];
  @ApiProperty() resolvedIncidents!: number;
  @ApiProperty({ description: 'False: seen in telemetry or incidents but nobody has profiled it' })
  hasProfile!: boolean;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  profile!: object | null;
  @ApiProperty({ nullable: true, type: Number }) profileVersion!: number | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The latest fulcrum.model-status/v1 record',
  })
  status!: object | null;
  @ApiProperty({ type: ValueAtRiskDto }) valueAtRisk!: ValueAtRiskDto;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Of its open reliability items, so far',
  })
  costOfDelay!: number | null;
  @ApiProperty({ type: [String], description: 'Why it blocks adoption, what is missing' })
  explanation!: string[];
}

export class ModelProfileViewDto {
  @ApiProperty() modelId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) profile!: object;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Stream version; also the ETag' }) version!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Set when ?asOf= was given' })
  asOf?: string;
}

export class ModelPageDto {
  @ApiProperty({ type: [ModelHealthDto] }) items!: ModelHealthDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentDto] }) items!: IncidentDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

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
