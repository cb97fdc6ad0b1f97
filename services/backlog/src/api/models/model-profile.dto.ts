import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { TIERS, type Tier } from '../../domain/models/model-profile.types';

class UpstreamDependencyDto {
  @ApiProperty({ example: 'payments-events' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
  @ApiProperty({ example: 'kafka-topic' }) @IsString() @MinLength(1) @MaxLength(100) kind!: string;
  @ApiProperty({ example: 'payments-platform' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  owner!: string;
}

export class ModelProfileDto {
  @ApiProperty({ example: 'risk-ml' }) @IsString() @MinLength(1) @MaxLength(200) ownerTeam!: string;
  @ApiProperty({
    enum: TIERS,
    description: '1 = revenue-critical, 2 = customer-facing, 3 = internal',
  })
  @IsIn(TIERS)
  tier!: Tier;
  @ApiProperty({ example: 'checkout conversion' }) @IsString() @MaxLength(200) kpi!: string;
  @ApiProperty({
    minimum: 0,
    description: 'Value of one well-served request, in the configured currency',
  })
  @IsNumber()
  @Min(0)
  @Max(1_000_000)
  valuePerRequest!: number;
  @ApiProperty({ enum: ['realtime', 'batch'] })
  @IsIn(['realtime', 'batch'])
  interaction!: 'realtime' | 'batch';
  @ApiProperty({ minimum: 0.01, maximum: 1, example: 0.92 })
  @IsNumber()
  @Min(0.01)
  @Max(1)
  expectedAccuracy!: number;
  @ApiProperty({ minimum: 0, example: 24, description: 'Hours until labels should arrive' })
  @IsNumber()
  @Min(0)
  @Max(24 * 365)
  expectedLabelDelayHours!: number;
  @ApiProperty({ minimum: 1, example: 30, description: 'Days between retrainings' })
  @IsNumber()
  @Min(1)
  @Max(3650)
  retrainingCadenceDays!: number;
  @ApiProperty({ type: [UpstreamDependencyDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => UpstreamDependencyDto)
  upstream!: UpstreamDependencyDto[];
  @ApiProperty({ type: [String], example: ['checkout-service'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  downstream!: string[];
}
