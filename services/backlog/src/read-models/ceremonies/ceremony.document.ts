import type { CeremonyState } from '../../domain/ceremonies/ceremony.types';

/** The ceremonies read model, written from the ceremony's state field by field (see item.document). */
export interface CeremonyDocument {
  ceremonyId: string;
  title: string;
  status: CeremonyState['status'];
  scheduledFor: string;
  cadenceDays: number;
  snapshot: CeremonyState['snapshot'];
  decisions: CeremonyState['decisions'];
  allocation: CeremonyState['allocation'];
  openedAt: string | null;
  closedAt: string | null;
  closingRationale: string | null;
  facilitator: string;
}

export function toCeremonyDocument(s: CeremonyState): CeremonyDocument {
  return {
    ceremonyId: s.ceremonyId,
    title: s.title,
    status: s.status,
    scheduledFor: s.scheduledFor,
    cadenceDays: s.cadenceDays,
    snapshot: s.snapshot,
    decisions: s.decisions,
    allocation: s.allocation,
    openedAt: s.openedAt,
    closedAt: s.closedAt,
    closingRationale: s.closingRationale,
    facilitator: s.facilitator,
  };
}
