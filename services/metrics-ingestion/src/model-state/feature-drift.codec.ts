import type { FeatureValue } from '@fulcrum/contracts';
import { earliestRows, type FeatureReference } from '../rules/drift-reference';
import {
  decodeRows,
  encodeRows,
  type EncodedRows,
  type ReferenceRow,
} from '../rules/reference-rows.codec';
import { ReferenceRowLog, type RowLogJSON } from './reference-row-log';

/**
 * The checkpoint format of a model's feature-drift state, apart from the state itself: what is
 * written (plain fields, Maps as entry lists, a building reference as its rows or its row log)
 * and how each format ever written is read back, older ones included.
 */

/** A building reference in a snapshot (its rows) or a checkpoint (its row log). */
export type BuilderJSON =
  { version: string; rows: EncodedRows } | { version: string; kept: number; log: RowLogJSON };

/** The drift state's own fields, as FeatureDrift holds them. */
export interface DriftFields {
  version: string | null;
  source: 'baseline' | 'first-predictions' | null;
  reference: Map<string, FeatureReference>;
  windows: Map<number, Map<string, number[]>>;
  closedThrough: number;
  countFrom: number;
  lastScores: Record<string, number>;
  rowLogGeneration: number;
}

export interface FeatureDriftJSON {
  version: string | null;
  source: 'baseline' | 'first-predictions' | null;
  reference: [string, FeatureReference][];
  windows: (readonly [number, [string, number[]][]])[];
  closedThrough: number | null;
  countFrom: number | null;
  lastScores: Record<string, number>;
  /** Absent in checkpoints written before the row log. */
  rowLogGeneration?: number;
  builder: BuilderJSON | null;
}

export function encodeDrift(d: DriftFields, builder: BuilderJSON | null): FeatureDriftJSON {
  return {
    version: d.version,
    source: d.source,
    reference: [...d.reference.entries()],
    windows: [...d.windows.entries()].map(([w, m]) => [w, [...m.entries()]] as const),
    closedThrough: Number.isFinite(d.closedThrough) ? d.closedThrough : null,
    countFrom: Number.isFinite(d.countFrom) ? d.countFrom : null,
    lastScores: d.lastScores,
    rowLogGeneration: d.rowLogGeneration,
    builder,
  };
}

/** A self-contained building reference: its rows inline. */
export const builderWithRows = (version: string, rows: ReferenceRow[]): BuilderJSON => ({
  version,
  rows: encodeRows(rows),
});

/**
 * The plain fields. The row-log generation is set above every chunk key found on the changelog, so
 * a new log cannot write under a leftover's key.
 */
export function decodeDrift(json: FeatureDriftJSON, chunkKeys: Iterable<string>): DriftFields {
  return {
    version: json.version,
    source: json.source,
    reference: new Map(json.reference),
    windows: new Map(json.windows.map(([w, entries]) => [w, new Map(entries)])),
    closedThrough: json.closedThrough ?? -Infinity,
    countFrom: json.countFrom ?? -Infinity,
    lastScores: json.lastScores,
    rowLogGeneration: Math.max(
      json.rowLogGeneration ?? 0,
      ...[...chunkKeys].map((key) => Number(key.split('/')[0])),
    ),
  };
}

/**
 * A building reference's rows, from its row log (chunks read from the changelog, by
 * "generation/index"; each one used is taken out of `unused`) or from rows inline. A format without
 * a log gets a new log under `nextGeneration()`.
 */
export function decodeBuilderRows(
  builder: BuilderJSON,
  unused: Map<string, EncodedRows>,
  nextGeneration: () => number,
): { rows: ReferenceRow[]; log: ReferenceRowLog; missingChunks: number } {
  if ('log' in builder) {
    const log = new ReferenceRowLog(builder.log.generation);
    const logged: ReferenceRow[] = [];
    let missingChunks = 0;
    for (let index = 0; index < builder.log.chunks; index++) {
      const key = `${log.generation}/${index}`;
      const chunk = unused.get(key);
      unused.delete(key);
      if (chunk) logged.push(...decodeRows(chunk));
      else missingChunks++;
    }
    log.chunks = builder.log.chunks;
    log.tail = decodeRows(builder.log.tail);
    log.broken = missingChunks > 0;
    logged.push(...log.tail);
    return { rows: earliestRows(logged, builder.kept), log, missingChunks };
  }
  const raw = builder.rows as unknown;
  const rows = isEncoded(raw)
    ? decodeRows(raw)
    : // Checkpoints written before the columns encoding held [t, features] pairs; older ones
      // held raw values without event times, and restart the build.
      Array.isArray(raw)
      ? (raw as [number, Record<string, FeatureValue>][]).map(([t, features]) => ({
          t,
          features,
        }))
      : [];
  return { rows, log: ReferenceRowLog.of(nextGeneration(), rows), missingChunks: 0 };
}

function isEncoded(rows: unknown): rows is EncodedRows {
  return (
    typeof rows === 'object' && rows !== null && (rows as EncodedRows).encoding === 'columns/v1'
  );
}
