import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { AuditService } from './audit.service';
import { BriefService } from './brief.service';
import { CeremoniesService } from './ceremonies.service';
import { CommandHandler } from './command-handler';
import { ItemsService } from './items.service';
import { ModelProfilesService } from './model-profiles.service';

/**
 * The use cases, shared by the HTTP API's feature modules and the Kafka intakes: each writes
 * through the command handler, which projects through the read models' port.
 */
@Module({
  imports: [ReadModelsModule],
  providers: [
    CommandHandler,
    ItemsService,
    CeremoniesService,
    ModelProfilesService,
    AuditService,
    BriefService,
  ],
  exports: [ItemsService, CeremoniesService, ModelProfilesService, AuditService, BriefService],
})
export class ApplicationModule {}
