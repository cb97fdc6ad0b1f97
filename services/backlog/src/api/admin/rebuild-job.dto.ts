import { ApiProperty } from '@nestjs/swagger';

export class RebuildReportDto {
  @ApiProperty() streams!: number;
  @ApiProperty() events!: number;
  @ApiProperty({
    description: 'Read-model documents that differed from a fresh fold and were replaced',
  })
  documentsChanged!: number;
  @ApiProperty() poisoned!: number;
  @ApiProperty() durationMs!: number;
}

export class RebuildJobDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] })
  state!: 'running' | 'succeeded' | 'failed';
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;
  @ApiProperty({ type: RebuildReportDto, nullable: true })
  report!: RebuildReportDto | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}
