import { Module } from '@nestjs/common';
import { ApplicationModule } from '../application/application.module';
import { ParkingModule } from '../parking/parking.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { ModelStatusConsumer } from './model-status.consumer';

/** Model statuses from Kafka, in batches: kept per model and per hour, their models audited. */
@Module({
  imports: [ApplicationModule, ReadModelsModule, ParkingModule],
  providers: [ModelStatusConsumer],
  exports: [ModelStatusConsumer],
})
export class StatusIntakeModule {}
