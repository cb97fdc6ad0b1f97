import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { DEFAULT_BRIEF_TRENDS, MAX_BRIEF_TRENDS } from '../../application/brief.service';

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
      'Per model, blocking models first, then by value at risk per hour: team and tier (from its profile, null without one), blocksAdoption, why, openIncidents, latest (its latest status as a trend point, null before the first), trendIncluded and the hourly trend — for the first `trends` models only, the others have an empty trend and trendIncluded false (read them from …/brief/trends) — (accuracy, estimatedAccuracy — from scores before labels, never a measurement —, errorRatio, slowRatio, driftScore) and thresholds — the lines ingestion judges this model by (its rules file), from its latest status',
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

export class BriefQueryDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_BRIEF_TRENDS,
    default: DEFAULT_BRIEF_TRENDS,
    description:
      "How many models (in the brief's order) carry their hourly trend; the others have trendIncluded false",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_BRIEF_TRENDS)
  trends?: number;
}

export class BriefTrendsQueryDto {
  @ApiProperty({
    description: 'Comma-separated model ids, 1 to 50',
    example: 'fraud-detector,churn-model',
    type: 'string',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').filter((v) => v.length > 0) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9][a-z0-9._-]{0,127}$/, { each: true })
  models!: string[];
}

export class BriefTrendsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Per model asked for and known: modelId and its hourly trend (hour, accuracy, estimatedAccuracy, errorRatio, slowRatio, driftScore), from the same horizon as the brief',
  })
  items!: object[];
}
