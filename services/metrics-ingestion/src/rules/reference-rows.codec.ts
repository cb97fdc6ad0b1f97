import type { FeatureValue } from '@fulcrum/contracts';

/** One prediction held while a first-N reference is built: its event time and its features. */
export interface ReferenceRow {
  t: number;
  features: Record<string, FeatureValue>;
  /** Canonical text of the features, computed only to order rows with equal event times. */
  key?: string;
}

/**
 * The rows of a reference being built, as columns: event times and each feature's numbers as
 * little-endian float64 in base64, strings and nulls sparse as [row, value], and a row's key order
 * only where it differs from the column order (ties between rows are broken on their JSON text, so
 * the order must survive a checkpoint).
 *
 * Why: a model building its reference holds up to 1,000 rows, and every checkpoint carried them as
 * `[t, {name: value, …}]` JSON — about 300 bytes a row, 11 MB for one partition's checkpoint in the
 * latency benchmark, where formatting numbers as text and the broker writing it made checkpoints of
 * 200–800 ms that stalled detection. Base64 of the raw doubles is produced natively and is half the
 * size; the decoded rows are identical, value for value.
 */
export interface EncodedRows {
  encoding: 'columns/v1';
  count: number;
  t: string;
  names: string[];
  /** Per feature: its numbers (NaN where the row has none), or null when it has no number at all. */
  numbers: (string | null)[];
  /** Per feature: rows whose value is a string or null, or null when there are none. */
  others: ([number, string | boolean | null][] | null)[];
  /** Rows whose keys are not in column order: [row, column indexes in the row's own order]. */
  orders: [number, number[]][];
}

export function encodeRows(rows: readonly ReferenceRow[]): EncodedRows {
  const count = rows.length;
  const index = new Map<string, number>();
  const names: string[] = [];
  const t = new Float64Array(count);
  const numbers: (Float64Array | null)[] = [];
  const others: ([number, string | boolean | null][] | null)[] = [];
  const orders: [number, number[]][] = [];
  for (let r = 0; r < count; r++) {
    const row = rows[r];
    t[r] = row.t;
    let k = 0;
    let previous = -1;
    let inOrder = true;
    for (const name in row.features) {
      // One producer lists its features in one order, so a row's k-th key is usually column k:
      // checked by identity before the map is asked (this runs once per accepted row).
      let f = k < names.length && names[k] === name ? k : index.get(name);
      if (f === undefined) {
        f = names.length;
        index.set(name, f);
        names.push(name);
        numbers.push(null);
        others.push(null);
      }
      k++;
      if (f < previous) inOrder = false;
      previous = f;
      const value = row.features[name];
      if (typeof value === 'number') {
        let column = numbers[f];
        if (!column) column = numbers[f] = new Float64Array(count).fill(NaN);
        column[r] = value;
      } else {
        (others[f] ??= []).push([r, value]);
      }
    }
    // The key order is written down only for the rare row that needs it (no array per row).
    if (!inOrder) orders.push([r, Object.keys(row.features).map((name) => index.get(name)!)]);
  }
  return {
    encoding: 'columns/v1',
    count,
    t: base64(t),
    names,
    numbers: numbers.map((column) => (column ? base64(column) : null)),
    others,
    orders,
  };
}

export function decodeRows(encoded: EncodedRows): ReferenceRow[] {
  const t = float64s(encoded.t);
  const numbers = encoded.numbers.map((column) => (column === null ? null : float64s(column)));
  const others = encoded.others.map((column) => new Map(column ?? []));
  const orders = new Map(encoded.orders);
  const columns = encoded.names.map((_, f) => f);
  const rows: ReferenceRow[] = [];
  for (let r = 0; r < encoded.count; r++) {
    const features: Record<string, FeatureValue> = {};
    for (const f of orders.get(r) ?? columns) {
      const n = numbers[f]?.[r];
      if (n !== undefined && !Number.isNaN(n)) features[encoded.names[f]] = n;
      else if (others[f].has(r)) features[encoded.names[f]] = others[f].get(r)!;
    }
    rows.push({ t: t[r], features });
  }
  return rows;
}

function base64(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function float64s(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  // Copied into an aligned buffer: a Float64Array needs an offset that is a multiple of 8.
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
