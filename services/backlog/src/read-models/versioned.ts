import type { Document } from 'mongodb';

/** A read-model document as readers get it: its fields and the stream version it reflects. */
export type Versioned<D> = D & { version: number };

/** How every read model is stored: the document, its id, its stream and the version it reflects. */
export type Stored<D> = D & { _id: string; _stream: string; _version: number };

/** Drops the storage fields and names the version as readers know it. */
export function versioned<D extends object>(doc: Stored<D> | Document): Versioned<D> {
  const { _id: _i, _stream: _s, _version, ...rest } = doc as Stored<D>;
  return { ...(rest as unknown as D), version: _version };
}
