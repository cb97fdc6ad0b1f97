import { Module } from '@nestjs/common';
import { ApplicationModule } from '../application/application.module';
import { ParkingModule } from '../parking/parking.module';
import { ReliabilityEventsController } from './reliability-events.controller';
import { ReliabilityIntakeService } from './reliability-intake.service';

/** Reliability events from Kafka become reliability items. */
@Module({
  imports: [ApplicationModule, ParkingModule],
  controllers: [ReliabilityEventsController],
  providers: [ReliabilityIntakeService],
})
export class ReliabilityIntakeModule {}
