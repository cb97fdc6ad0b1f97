import { ApiProperty } from '@nestjs/swagger';

/** The brief's documented shape; nested parts are described in words (see the README). */
export class BriefDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'ceremonyId, title, status, scheduledFor, cadenceDays, openedAt, closedAt, version (the ETag value), recommendedReliabilityShare',
  })
  ceremony!: object;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The decision at stake, from the sections below: models, blocking, valueAtRiskPerHour (sum of the estimable), unestimated (models at risk without a profile), reliabilityShare { recommended, planned, actual, committed — percent of the effort committed in this ceremony so far going to reliability, null before the first commit }, waiting { items not yet decided, valueAtRiskPerHour }, previous { title, decisions, incidentsResolved, incidentsOpen, costSince } or null',
  })
  summary!: object;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Per model, blocking models first, then by value at risk per hour: team and tier (from its profile, null without one), blocksAdoption, why, openIncidents, hourly trend (accuracy, estimatedAccuracy — from scores before labels, never a measurement —, errorRatio, slowRatio, driftScore) and thresholds — the lines ingestion judges this model by (its rules file), from its latest status',
  })
  health!: object[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "The rules' defaults { accuracy, accuracyCritical, errorRatio, slowRatio, drift }; a model held to other lines carries its own in health[].thresholds",
  })
  thresholds!: object;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'models: value at risk per hour and cost of delay; items: open reliability items',
  })
  valueAtRisk!: object;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'planned, actual, recommendedReliability, history',
  })
  allocation!: object;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'quadrant → items by priority, each with its explanation',
  })
  candidates!: object;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The previous ceremony and what became of its decisions',
  })
  previous!: object | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'models: coverage and failing checks; openDebtItems',
  })
  audit!: object;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  decisions!: object[];
}
