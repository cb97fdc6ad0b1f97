import { DomainError } from '../domain-error';
import type { ModelProfileEvent } from './model-profile.events';
import { TIERS, type ModelProfile, type ModelProfileState } from './model-profile.types';

export type ModelProfileCommand = {
  type: 'SetModelProfile';
  modelId: string;
  profile: ModelProfile;
  at: string;
};

/** A profile is set whole; setting the same profile again changes nothing (no event). */
export function decideModelProfile(
  state: ModelProfileState | null,
  command: ModelProfileCommand,
): ModelProfileEvent[] {
  const p = command.profile;
  const problems: string[] = [];
  if (!TIERS.includes(p.tier)) problems.push(`tier must be 1, 2 or 3; got ${p.tier}`);
  if (!(p.valuePerRequest >= 0)) problems.push('valuePerRequest must not be negative');
  if (!(p.expectedAccuracy > 0 && p.expectedAccuracy <= 1))
    problems.push('expectedAccuracy must be in (0, 1]');
  if (problems.length)
    throw new DomainError('invalid-profile', `the profile is refused: ${problems.join('; ')}`, {
      problems,
    });
  if (state && JSON.stringify(state.profile) === JSON.stringify(p)) return [];
  return [
    { type: 'ModelProfileSet', data: { modelId: command.modelId, profile: p, at: command.at } },
  ];
}
