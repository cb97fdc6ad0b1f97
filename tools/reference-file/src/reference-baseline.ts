import {
  calibrationOf,
  categoricalHistogram,
  numericHistogram,
  scoreEdges,
  TELEMETRY_SCHEMA_ID,
  type BaselineRecord,
  type FeatureHistogram,
  type FeatureValue,
} from '@fulcrum/contracts';

/** A reference file's rows as read: column name → raw cell (text from CSV, typed from Parquet). */
export type Row = Record<string, unknown>;

export interface BaselineOptions {
  modelId: string;
  modelVersion: string;
  eventTime: string;
  /** Columns of the score (probability of class 1), the predicted label and the true label. */
  score?: string;
  predicted?: string;
  label?: string;
  /** Feature columns; by default every column but the three above and `ignore`. */
  features?: string[];
  ignore?: string[];
  /** Quantile bins per numeric feature (the drift rule's `bins`, 10 by default). */
  bins: number;
  /** Equal-width score bins of the calibration. */
  scoreBins: number;
}

/** A refusal the user can act on: which column or row, and why. */
export class ReferenceFileError extends Error {}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as the contract reads feature values: empty is missing, numeric text is a number. */
export function cellValue(v: unknown): FeatureValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v;
  // Dates (Parquet timestamps) and other objects count as their JSON text: a category.
  const text = typeof v === 'string' ? v.trim() : JSON.stringify(v);
  if (text === '') return null;
  if (NUMBER.test(text)) return Number(text);
  return text;
}

function binary(row: Row, column: string, n: number): 0 | 1 {
  const v = cellValue(row[column]);
  if (v === 0 || v === 1) return v;
  if (v === true || v === 'true') return 1;
  if (v === false || v === 'false') return 0;
  throw new ReferenceFileError(
    `row ${n}: column "${column}" must be 0 or 1 (a binary label); got ${JSON.stringify(row[column])}`,
  );
}

/**
 * The model's baseline from labeled reference rows: each feature binned as ingestion bins its own
 * reference (quantile edges, upper bounds inclusive — not numpy.histogram's lower-inclusive bins),
 * and, when score / predicted / label columns are named, the calibration section.
 */
export function baselineFromRows(rows: Row[], o: BaselineOptions): BaselineRecord {
  if (rows.length === 0) throw new ReferenceFileError('the reference file has no rows');
  const columns = Object.keys(rows[0]);
  const scoring = [o.score, o.predicted, o.label].filter((c): c is string => !!c);
  if (scoring.length !== 0 && scoring.length !== 3)
    throw new ReferenceFileError(
      'name all three of --score, --predicted and --label for a calibration, or none of them',
    );
  for (const c of [...scoring, ...(o.features ?? [])])
    if (!columns.includes(c))
      throw new ReferenceFileError(
        `column "${c}" is not in the file; its columns are ${columns.join(', ')}`,
      );
  const skip = new Set([...scoring, ...(o.ignore ?? [])]);
  const featureColumns = o.features ?? columns.filter((c) => !skip.has(c));

  const features: Record<string, FeatureHistogram> = {};
  for (const name of featureColumns) {
    const values = rows.map((r) => cellValue(r[name]));
    const present = values.filter((v) => v !== null);
    const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
    const h = numeric
      ? numericHistogram(present, o.bins)
      : categoricalHistogram(present.map((v) => String(v)));
    if (h) features[name] = h;
  }

  let calibration: BaselineRecord['calibration'];
  if (o.score && o.predicted && o.label) {
    const scored = rows.map((r, i) => {
      const score = cellValue(r[o.score!]);
      if (typeof score !== 'number' || score < 0 || score > 1)
        throw new ReferenceFileError(
          `row ${i + 1}: column "${o.score}" must be a probability between 0 and 1; got ${JSON.stringify(r[o.score!])}`,
        );
      return {
        score,
        predicted: binary(r, o.predicted!, i + 1),
        actual: binary(r, o.label!, i + 1),
      };
    });
    calibration = calibrationOf(scored, scoreEdges(o.scoreBins));
  }
  if (Object.keys(features).length === 0 && !calibration)
    throw new ReferenceFileError('no feature could be binned and no calibration was asked for');
  return {
    schema: TELEMETRY_SCHEMA_ID,
    kind: 'baseline',
    modelId: o.modelId,
    modelVersion: o.modelVersion,
    eventTime: o.eventTime,
    features,
    ...(calibration ? { calibration } : {}),
  };
}
