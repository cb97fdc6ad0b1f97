import type { ReliabilityEvent } from '@fulcrum/contracts';
import type { ItemStatus, Proposal, Scores } from './item.types';

/** Item events, as stored. Current schema versions: ItemProposed 2 (v1 had one `linkedModel`). */
export type ItemEvent =
  | {
      type: 'ItemProposed';
      data: Proposal & { itemId: string; at: string };
    }
  | {
      type: 'ItemRescored';
      /** `override`: a person set these scores (through the API), not the reliability intake. */
      data: { scores: Scores; rationale: string; at: string; override?: boolean };
    }
  | {
      type: 'ItemStatusChanged';
      data: {
        from: ItemStatus;
        to: ItemStatus;
        rationale: string;
        ceremonyId: string | null;
        at: string;
      };
    }
  | {
      type: 'ReliabilitySignalRecorded';
      data: { event: ReliabilityEvent; blocksAdoption: boolean; at: string };
    }
  | { type: 'ReliabilityIncidentResolved'; data: { event: ReliabilityEvent; at: string } }
  | {
      type: 'AuditGapOpened' | 'AuditGapResolved' | 'AuditGapReopened';
      data: {
        modelId: string;
        check: string;
        evidence: Record<string, unknown>;
        remedy: string;
        /** Event time of the model status the verdict came from. */
        at: string;
      };
    };

export type ItemEventType = ItemEvent['type'];
