import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../application/application.module';
import { ReadModelsModule } from '../../read-models/read-models.module';
import { ItemsController } from './items.controller';

/** Backlog items: propose, rescore, move through their lifecycle, read with impact and history. */
@Module({ imports: [ApplicationModule, ReadModelsModule], controllers: [ItemsController] })
export class ItemsModule {}
