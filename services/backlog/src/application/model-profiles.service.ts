import { Injectable } from '@nestjs/common';
import {
  decideModelProfile,
  type ModelProfileCommand,
} from '../domain/models/model-profile.decide';
import type { ModelProfileEvent } from '../domain/models/model-profile.events';
import type { ModelProfile, ModelProfileState } from '../domain/models/model-profile.types';
import { modelStream } from '../domain/streams';
import { EventStoreRepository } from '../event-store/event-store.repository';
import type { RecordedEvent } from '../event-store/event-store.types';
import { CommandHandler, type CommandOptions, type CommandResult } from './command-handler';

/** Model profiles: one event-sourced stream per model (`model-<modelId>`), set whole. */
@Injectable()
export class ModelProfilesService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly store: EventStoreRepository,
  ) {}

  set(
    modelId: string,
    profile: ModelProfile,
    opts: CommandOptions,
  ): Promise<CommandResult<ModelProfileState>> {
    return this.handler.execute<ModelProfileState, ModelProfileCommand, ModelProfileEvent>(
      modelStream(modelId),
      'set-model-profile',
      decideModelProfile,
      { type: 'SetModelProfile', modelId, profile, at: new Date().toISOString() },
      opts,
    );
  }

  load(modelId: string, asOf?: Date) {
    return this.handler.load<ModelProfileState>(modelStream(modelId), asOf);
  }

  history(modelId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(modelStream(modelId));
  }
}
