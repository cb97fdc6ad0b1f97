import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  IsObject,
  ValidateNested,
} from 'class-validator';
import type { DecisionKind } from '../../domain/ceremonies/ceremony.types';
import { ITEM_ID, ITEM_ID_DESCRIPTION, ITEM_ID_PATTERN } from '../../domain/items/item-id';

export class ScheduleCeremonyDto {
  @ApiProperty({ minLength: 3, maxLength: 200 })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;
  @ApiProperty({ example: '2026-03-02T09:00:00Z' })
  @IsISO8601({ strict: true })
  scheduledFor!: string;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    description: 'Defaults to FULCRUM_CEREMONY_CADENCE_DAYS (14)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  cadenceDays?: number;
}

export class DecisionDto {
  @ApiProperty({ pattern: ITEM_ID_PATTERN, description: ITEM_ID_DESCRIPTION })
  @IsString()
  @Matches(ITEM_ID, { message: `itemId: ${ITEM_ID_DESCRIPTION}` })
  itemId!: string;
  @ApiProperty({ enum: ['commit', 'defer', 'drop'] })
  @IsIn(['commit', 'defer', 'drop'])
  decision!: DecisionKind;
  @ApiProperty({ maxLength: 2000, description: 'Required to defer or drop' })
  @IsString()
  @MaxLength(2000)
  rationale!: string;
}

class BacklogSharesDto {
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsNumber() @Min(0) @Max(100) capability!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsNumber() @Min(0) @Max(100) reliability!: number;
}

class QuadrantSharesDto {
  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsNumber()
  @Min(0)
  @Max(100)
  'critical-feature'!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsNumber() @Min(0) @Max(100) 'model-hygiene'!: number;
  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsNumber()
  @Min(0)
  @Max(100)
  'technical-debt'!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsNumber() @Min(0) @Max(100) innovation!: number;
}

export class AllocationDto {
  @ApiProperty({ type: BacklogSharesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BacklogSharesDto)
  byBacklog!: BacklogSharesDto;
  @ApiProperty({ type: QuadrantSharesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => QuadrantSharesDto)
  byQuadrant!: QuadrantSharesDto;
  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Required to close when reliability is below the recommendation',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  deviationRationale?: string;
}

export class CloseCeremonyDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  rationale?: string;
}
