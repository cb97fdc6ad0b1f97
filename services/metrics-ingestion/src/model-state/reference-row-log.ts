import { encodeRows, type EncodedRows, type ReferenceRow } from '../rules/reference-rows.codec';

/** Rows per chunk: a chunk is written once; only the tail (fewer rows) goes with every checkpoint. */
export const ROW_CHUNK = 50;

/** One chunk of a model's row log, written on its own key of the state changelog. */
export interface RowChunk {
  generation: number;
  index: number;
  rows: EncodedRows;
}

/** A chunk's place in a model's row log: its generation and index. */
export type ChunkRef = Pick<RowChunk, 'generation' | 'index'>;

/** The row log as the model's state message carries it: which chunks, and the rows after them. */
export interface RowLogJSON {
  generation: number;
  chunks: number;
  tail: EncodedRows;
}

/**
 * Every row a first-N reference builder accepted, in the order it accepted them — the checkpoint
 * of a model building its reference. Re-offering the logged rows to `keepEarliest` gives back the
 * same N earliest rows: a row it turned away could never return (the rows kept only get earlier),
 * so the accepted ones are enough, and the result does not depend on their order.
 *
 * Why a log and not the rows: a checkpoint of the rows grows with N, and while 200 models built
 * their references together, those checkpoints (up to 1,000 rows × 12 features each) were the
 * detection-latency tail. The log is written in chunks of ROW_CHUNK rows on their own keys,
 * each once; the state message carries only the chunk count and the rows after the last chunk.
 * A log that grew far past the rows it keeps (many early rows arriving late) is rewritten as a new
 * generation from the rows kept, and so is one whose chunk write failed; the keys of a generation
 * that was replaced are deleted (tombstones) after the state message that no longer names them.
 */
export class ReferenceRowLog {
  /** Chunks of this generation sealed: written, being written, or waiting for the next checkpoint. */
  chunks = 0;
  /** Rows accepted after the last chunk: they travel inline with each checkpoint. */
  tail: ReferenceRow[] = [];
  /** Chunks sealed since the last checkpoint took them (lazy: most models never have any). */
  private unwritten: RowChunk[] | null = null;
  /** A chunk write of this generation may be lost: the next checkpoint starts a new generation. */
  broken = false;

  constructor(readonly generation: number) {}

  /** A new generation holding `rows`, none of them written yet. */
  static of(generation: number, rows: readonly ReferenceRow[]): ReferenceRowLog {
    const log = new ReferenceRowLog(generation);
    for (const row of rows) log.append(row);
    return log;
  }

  /**
   * A full tail is sealed into a chunk (encoded) at once, on the record that fills it: encoding
   * every model's new rows inside the checkpoint snapshot held the thread for 100–350 ms while the
   * latency benchmark's 200 models built their references.
   */
  append(row: ReferenceRow): void {
    this.tail.push(row);
    if (this.tail.length < ROW_CHUNK) return;
    (this.unwritten ??= []).push({
      generation: this.generation,
      index: this.chunks++,
      rows: encodeRows(this.tail),
    });
    this.tail = [];
  }

  /** Rows logged, written or not: the kept rows plus every row pushed out since the generation began. */
  get length(): number {
    return this.chunks * ROW_CHUNK + this.tail.length;
  }

  /** Whether to rewrite the log from the rows kept (see the class comment). */
  needsRewrite(kept: number): boolean {
    return this.broken || this.length - kept > kept + ROW_CHUNK;
  }

  /** The chunks sealed since the last call, to be written before the state message that counts them. */
  takeChunks(): RowChunk[] {
    const out = this.unwritten ?? [];
    this.unwritten = null;
    return out;
  }

  /** This generation's chunk keys, to delete once a state message no longer names them. */
  refs(): ChunkRef[] {
    return Array.from({ length: this.chunks }, (_, index) => ({
      generation: this.generation,
      index,
    }));
  }

  toJSON(): RowLogJSON {
    return { generation: this.generation, chunks: this.chunks, tail: encodeRows(this.tail) };
  }
}
