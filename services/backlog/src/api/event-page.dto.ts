import { ApiProperty } from '@nestjs/swagger';

/**
 * A page of a stream's recorded events (item and profile history), documented so clients (and schemathesis's conformance check) can rely on them. They
 * describe what the read models and command handlers return; they validate nothing.
 */

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
