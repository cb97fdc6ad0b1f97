import { Module } from '@nestjs/common';
import { ApplicationModule } from '../application/application.module';
import { ParkingModule } from '../parking/parking.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { ModelStatusController } from './model-status.controller';

/** Model statuses from Kafka: kept per model and per hour, each one audited. */
@Module({
  imports: [ApplicationModule, ReadModelsModule, ParkingModule],
  controllers: [ModelStatusController],
})
export class StatusIntakeModule {}
