import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../application/application.module';
import { ReadModelsModule } from '../../read-models/read-models.module';
import { CeremoniesController } from './ceremonies.controller';

/** The prioritization ceremony: schedule, open, decide, allocate, close. */
@Module({ imports: [ApplicationModule, ReadModelsModule], controllers: [CeremoniesController] })
export class CeremoniesModule {}
