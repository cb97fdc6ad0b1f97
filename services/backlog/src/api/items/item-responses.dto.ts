import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BACKLOGS, ITEM_STATUSES, QUADRANTS } from '../../domain/items/item.types';

/**
 * Backlog items as the API answers them, documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

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
