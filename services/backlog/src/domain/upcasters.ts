/** One step of an event's schema history: lifts `type` from `fromVersion` to the next. */
export interface UpcastStep {
  type: string;
  fromVersion: number;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Event schema history of the backlog. ItemProposed v1 (before reliability intake existed) named a
 * single `linkedModel` and had no `confidence` score; v2 has `linkedModels[]` and `confidence`.
 */
export const BACKLOG_UPCASTS: UpcastStep[] = [
  {
    type: 'ItemProposed',
    fromVersion: 1,
    upcast: (data) => {
      const { linkedModel, scores, ...rest } = data as {
        linkedModel?: string;
        scores: Record<string, number>;
      };
      return {
        ...rest,
        linkedModels: linkedModel ? [linkedModel] : [],
        scores: { ...scores, confidence: scores.confidence ?? 1 },
        rationale: (rest as { rationale?: string }).rationale ?? null,
      };
    },
  },
];
