import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../../read-models/read-models.module';
import { ProjectionsController } from './projections.controller';

@Module({ imports: [ReadModelsModule], controllers: [ProjectionsController] })
export class AdminModule {}
