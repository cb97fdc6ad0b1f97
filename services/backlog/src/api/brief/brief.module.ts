import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../application/application.module';
import { BriefController } from './brief.controller';
import { BriefPageController } from './brief-page/brief-page.controller';

/** The ceremony brief, as JSON or Markdown and as the page a ceremony runs on. */
@Module({ imports: [ApplicationModule], controllers: [BriefController, BriefPageController] })
export class BriefModule {}
