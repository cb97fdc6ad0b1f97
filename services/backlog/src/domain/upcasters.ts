import { UpcasterRegistry } from '../event-store/upcasters';

/**
 * Event schema history of the backlog. ItemProposed v1 (before reliability intake existed) named a
 * single `linkedModel` and had no `confidence` score; v2 has `linkedModels[]` and `confidence`.
 */
export function backlogUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry().register('ItemProposed', 1, (data) => {
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
  });
}
