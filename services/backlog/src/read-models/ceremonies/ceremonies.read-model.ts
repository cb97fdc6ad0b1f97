import type { CeremonyState } from '../../domain/ceremonies/ceremony.types';
import type { ReadModelCollection, ReadModelProjection } from '../read-model';
import { toCeremonyDocument } from './ceremony.document';

export const CEREMONIES_VIEW = 'ceremonies_view';

export const ceremoniesCollection: ReadModelCollection = {
  name: CEREMONIES_VIEW,
  indexes: [{ key: { scheduledFor: 1 }, name: 'scheduled_for' }],
};

export const ceremoniesProjection: ReadModelProjection<CeremonyState> = {
  kind: 'ceremony',
  view: CEREMONIES_VIEW,
  document: toCeremonyDocument,
};
