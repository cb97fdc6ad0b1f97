import type { ModelProfileState } from '../../domain/models/model-profile.types';
import type { ReadModelCollection, ReadModelProjection } from '../read-model';
import { toModelProfileDocument } from './model-profile.document';

export const MODELS_VIEW = 'models_view';

export const modelProfilesCollection: ReadModelCollection = { name: MODELS_VIEW };

export const modelProfilesProjection: ReadModelProjection<ModelProfileState> = {
  kind: 'model',
  view: MODELS_VIEW,
  document: toModelProfileDocument,
};
