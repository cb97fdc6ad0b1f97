import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../application/application.module';
import { AuditController } from './audit.controller';

/** The technical-debt audit of one model and of all of them. */
@Module({ imports: [ApplicationModule], controllers: [AuditController] })
export class AuditModule {}
