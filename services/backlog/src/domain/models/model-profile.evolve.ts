import type { ModelProfileEvent } from './model-profile.events';
import type { ModelProfileState } from './model-profile.types';
import { unknownEvent } from '../unknown-event';

export function evolveModelProfile(
  state: ModelProfileState | null,
  event: ModelProfileEvent,
): ModelProfileState {
  switch (event.type) {
    case 'ModelProfileSet':
      return {
        modelId: event.data.modelId,
        profile: event.data.profile,
        createdAt: state?.createdAt ?? event.data.at,
        updatedAt: event.data.at,
      };
    default:
      return unknownEvent(event);
  }
}
