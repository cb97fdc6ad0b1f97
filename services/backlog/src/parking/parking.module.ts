import { Module } from '@nestjs/common';
import { ParkedMessagesRepository } from './parked-messages.repository';

@Module({ providers: [ParkedMessagesRepository], exports: [ParkedMessagesRepository] })
export class ParkingModule {}
