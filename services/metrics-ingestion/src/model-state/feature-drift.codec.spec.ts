import { encodeRows } from '../rules/reference-rows.codec';
import {
  decodeBuilderRows,
  decodeDrift,
  encodeDrift,
  type DriftFields,
  type FeatureDriftJSON,
} from './feature-drift.codec';

const fields: DriftFields = {
  version: 'v2',
  source: 'baseline',
  reference: new Map([['amount', { type: 'numeric', edges: [10, 20], counts: [1, 2, 3] }]]),
  windows: new Map([[7, new Map([['amount', [0, 1, 0]]])]]),
  closedThrough: 7,
  countFrom: -Infinity,
  lastScores: { amount: 0.01 },
  rowLogGeneration: 3,
};
const rows = [
  { t: 1, features: { amount: 5 } },
  { t: 2, features: { amount: 15 } },
];

describe('the feature-drift checkpoint format', () => {
  it('survives JSON: Maps as entry lists, infinities as null', () => {
    const json = JSON.parse(JSON.stringify(encodeDrift(fields, null))) as FeatureDriftJSON;
    expect(json.countFrom).toBeNull();
    expect(decodeDrift(json, [])).toEqual(fields);
  });

  it('moves the row-log generation above every chunk key found, so no new chunk reuses one', () => {
    const json = encodeDrift(fields, null);
    expect(decodeDrift(json, ['5/0', '2/1']).rowLogGeneration).toBe(5);
    expect(decodeDrift({ ...json, rowLogGeneration: undefined }, []).rowLogGeneration).toBe(0);
  });

  it('reads a row log from its chunks and tail, and counts chunks the changelog lost', () => {
    const unused = new Map([['4/0', encodeRows([rows[0]])]]);
    const restored = decodeBuilderRows(
      {
        version: 'v2',
        kept: 3,
        log: { generation: 4, chunks: 2, tail: encodeRows([rows[1]]) },
      },
      unused,
      () => 99,
    );
    expect(restored.rows).toEqual(rows);
    expect(restored.missingChunks).toBe(1);
    expect(restored.log.broken).toBe(true);
    expect(unused.size).toBe(0);
  });

  it('reads the formats written before the row log: encoded rows, [t, features] pairs, raw values', () => {
    const next = () => 8;
    expect(
      decodeBuilderRows({ version: 'v', rows: encodeRows(rows) }, new Map(), next).rows,
    ).toEqual(rows);
    const pairs = rows.map((r) => [r.t, r.features]);
    expect(
      decodeBuilderRows({ version: 'v', rows: pairs as never }, new Map(), next),
    ).toMatchObject({ rows, missingChunks: 0, log: { generation: 8 } });
    // Values without event times cannot be placed in event time: the build restarts.
    expect(
      decodeBuilderRows({ version: 'v', rows: { amount: [1, 2] } as never }, new Map(), next).rows,
    ).toEqual([]);
  });
});
