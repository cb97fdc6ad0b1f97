import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../application/application.module';
import { ReadModelsModule } from '../../read-models/read-models.module';
import { ModelsController } from './models.controller';
import { ProfilesController } from './profiles.controller';

/** Models and their profiles. */
@Module({
  imports: [ApplicationModule, ReadModelsModule],
  controllers: [ModelsController, ProfilesController],
})
export class ModelsModule {}
