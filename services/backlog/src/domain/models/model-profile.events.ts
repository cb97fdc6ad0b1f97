import type { ModelProfile } from './model-profile.types';

export type ModelProfileEvent = {
  type: 'ModelProfileSet';
  data: { modelId: string; profile: ModelProfile; at: string };
};
