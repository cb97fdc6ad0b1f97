import type { ModelProfileState } from '../../domain/models/model-profile.types';

/** The model-profiles read model, written from the profile's state field by field (see item.document). */
export interface ModelProfileDocument {
  modelId: string;
  profile: ModelProfileState['profile'];
  createdAt: string;
  updatedAt: string;
}

export function toModelProfileDocument(s: ModelProfileState): ModelProfileDocument {
  return {
    modelId: s.modelId,
    profile: s.profile,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
