import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
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
import {
  BACKLOGS,
  ITEM_STATUSES,
  QUADRANTS,
  type Backlog,
  type ItemStatus,
  type Quadrant,
} from '../../domain/items/item.types';
import { ScoresDto } from './scores.dto';
import type { ProposeItemInput } from '../../application/items.service';

/** The API's form of a proposal (the field list is the domain's `Proposal`). */
export class ProposeItemDto implements ProposeItemInput {
  @ApiProperty({ enum: BACKLOGS }) @IsIn(BACKLOGS) backlog!: Backlog;
  @ApiProperty({ enum: QUADRANTS }) @IsIn(QUADRANTS) quadrant!: Quadrant;
  @ApiProperty({ minLength: 3, maxLength: 200 })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;
  @ApiProperty({ maxLength: 5000 }) @IsString() @MaxLength(5000) description!: string;
  @ApiProperty({ type: [String], maxItems: 20, description: 'Model ids this item concerns' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z0-9][a-z0-9._-]{0,127}$/, { each: true })
  linkedModels!: string[];
  @ApiProperty({ type: ScoresDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ScoresDto)
  scores!: ScoresDto;
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  rationale?: string;
}

export class RescoreItemDto {
  @ApiProperty({ type: ScoresDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ScoresDto)
  scores!: ScoresDto;
  @ApiProperty({ minLength: 3, maxLength: 2000 })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  rationale!: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: ITEM_STATUSES }) @IsIn(ITEM_STATUSES) to!: ItemStatus;
  @ApiProperty({ minLength: 3, maxLength: 2000 })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  rationale!: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]*$/)
  cursor?: string;
}

export class ListItemsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BACKLOGS }) @IsOptional() @IsIn(BACKLOGS) backlog?: Backlog;
  @ApiPropertyOptional({ enum: QUADRANTS }) @IsOptional() @IsIn(QUADRANTS) quadrant?: Quadrant;
  @ApiPropertyOptional({ enum: ITEM_STATUSES })
  @IsOptional()
  @IsIn(ITEM_STATUSES)
  status?: ItemStatus;
  @ApiPropertyOptional({ description: 'Only items linked to this model' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,127}$/)
  model?: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({
    description: 'ISO-8601 time: the state as it was then',
    example: '2026-03-01T12:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}
