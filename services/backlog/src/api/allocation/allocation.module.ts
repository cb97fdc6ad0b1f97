import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../../read-models/read-models.module';
import { AllocationController } from './allocation.controller';

@Module({ imports: [ReadModelsModule], controllers: [AllocationController] })
export class AllocationModule {}
