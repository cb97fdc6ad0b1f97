import type { StreamKind } from '../domain/streams';

/** A collection a read model keeps, with the indexes its queries need (created at start-up). */
export interface ReadModelCollection {
  name: string;
  indexes?: { key: Record<string, 1 | -1>; name: string }[];
}

/**
 * How one read model follows one kind of event stream: the projector writes `document(state)` of
 * the stream's folded state into `view`, keyed by the aggregate's id, and nothing else. Several
 * read models may follow the same kind; each lives in its own folder beside its repository.
 */
export interface ReadModelProjection<S = never> {
  kind: StreamKind;
  view: string;
  document: (state: S) => object;
}
