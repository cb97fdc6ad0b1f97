import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { guard } from '../../event-store/database-errors';
import { MODELS_VIEW } from './model-profiles.read-model';
import { versioned, type Stored, type Versioned } from '../versioned';
import type { ModelProfileDocument } from './model-profile.document';

export type ModelProfileRecord = Versioned<ModelProfileDocument>;

/** Every read of the model-profiles read model. */
@Injectable()
export class ModelProfilesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** Every profile, by model id. */
  all(): Promise<Map<string, ModelProfileRecord>> {
    return guard(async () => {
      const docs = await this.connection
        .db!.collection<Stored<ModelProfileDocument>>(MODELS_VIEW)
        .find({})
        .toArray();
      return new Map(docs.map((d) => [d.modelId, versioned<ModelProfileDocument>(d)]));
    });
  }
}
