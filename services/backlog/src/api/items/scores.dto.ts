import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

export class ScoresDto {
  @ApiProperty({ minimum: 1, maximum: 10, description: 'Impact on users when done' })
  @IsInt()
  @Min(1)
  @Max(10)
  userImpact!: number;

  @ApiProperty({ minimum: 1, maximum: 10, description: 'Risk to the system if not done' })
  @IsInt()
  @Min(1)
  @Max(10)
  systemRisk!: number;

  @ApiProperty({ minimum: 1, maximum: 10, description: 'How fast the value decays' })
  @IsInt()
  @Min(1)
  @Max(10)
  timeCriticality!: number;

  @ApiProperty({ minimum: 1, maximum: 100, description: 'Effort in points' })
  @IsInt()
  @Min(1)
  @Max(100)
  effort!: number;

  @ApiProperty({ minimum: 0.05, maximum: 1, description: 'Confidence in the estimates' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.05)
  @Max(1)
  confidence!: number;
}
