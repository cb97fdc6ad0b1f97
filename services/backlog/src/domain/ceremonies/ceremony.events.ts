import type { Allocation, CeremonySnapshot, Decision } from './ceremony.types';

export type CeremonyEvent =
  | {
      type: 'CeremonyScheduled';
      data: {
        ceremonyId: string;
        title: string;
        scheduledFor: string;
        cadenceDays: number;
        facilitator: string;
        at: string;
      };
    }
  | { type: 'CeremonyOpened'; data: { snapshot: CeremonySnapshot; at: string } }
  | { type: 'CeremonyDecisionRecorded'; data: Decision }
  | { type: 'CeremonyAllocationSet'; data: Allocation & { at: string } }
  | { type: 'CeremonyClosed'; data: { rationale: string | null; at: string } };
