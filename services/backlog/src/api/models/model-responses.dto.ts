import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Models, their profiles and incidents as the API answers them, documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

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
    description:
      'Per open incident: rule, perHour, requestsPerHour, valuePerRequest, share, basis; `estimated: true` when the share rests on accuracy estimated from scores',
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
    description:
      'The latest fulcrum.model-status/v1 record; `estimatedAccuracy` (accuracy estimated from scores before labels, with ±3σ bounds and its error against labels) beside `accuracy` (measured with labels)',
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
