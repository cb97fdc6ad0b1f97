import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { AllocationGauges } from './allocation-gauges';
import { ImpactGauges } from './impact-gauges';

/** The gauges read at scrape time from the read models (the counters live in the platform module). */
@Module({ imports: [ReadModelsModule], providers: [AllocationGauges, ImpactGauges] })
export class ObservabilityModule {}
