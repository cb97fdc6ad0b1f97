import { binIndex, TelemetryValidator } from '@fulcrum/contracts';
import { baselineFromRows, cellValue, ReferenceFileError, type Row } from './reference-baseline';

const options = {
  modelId: 'churn',
  modelVersion: 'v2',
  eventTime: '2026-03-01T00:00:00Z',
  bins: 10,
  scoreBins: 10,
};

/** 1,000 rows: an integer feature 0..9, a plan, a score and labels (right 90 % of the time). */
function rows(): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < 1000; i++) {
    const score = ((i * 37) % 100) / 100;
    const predicted = score >= 0.5 ? 1 : 0;
    const actual = i % 10 === 0 ? 1 - predicted : predicted;
    out.push({
      visits: String(i % 10),
      plan: ['basic', 'pro'][i % 2],
      score: String(score),
      pred: String(predicted),
      truth: String(actual),
    });
  }
  return out;
}

describe('baselineFromRows', () => {
  const scoring = { score: 'score', predicted: 'pred', label: 'truth' };

  it('bins an integer feature with upper edges inclusive, so the same data fills the same bins', () => {
    const record = baselineFromRows(rows(), { ...options, ...scoring });
    const visits = record.features.visits;
    expect(visits.type).toBe('numeric');
    if (visits.type !== 'numeric') return;
    // Every value counted in the bin binIndex (what ingestion uses on live values) puts it in.
    const recount = new Array<number>(visits.counts.length).fill(0);
    for (let i = 0; i < 1000; i++) recount[binIndex(visits.edges, i % 10)]++;
    expect(recount).toEqual(visits.counts);
    expect(record.features.plan).toEqual({ type: 'categorical', counts: { basic: 500, pro: 500 } });
    expect(Object.keys(record.features).sort()).toEqual(['plan', 'visits']);
  });

  it('adds the calibration: counts and positives per score bin, and the predictions that were right', () => {
    const { calibration } = baselineFromRows(rows(), { ...options, ...scoring });
    expect(calibration!.edges).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(calibration!.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(calibration!.correct).toBe(900);
    calibration!.positives.forEach((p, i) => expect(p).toBeLessThanOrEqual(calibration!.counts[i]));
  });

  it('makes a record the telemetry contract accepts', () => {
    const record = baselineFromRows(rows(), { ...options, ...scoring });
    expect(new TelemetryValidator().validate(record).ok).toBe(true);
  });

  it.each([
    [{ score: 'score' }, /all three of --score, --predicted and --label/],
    [
      { ...scoring, label: 'nope' },
      /column "nope" is not in the file; its columns are visits, plan/,
    ],
  ])('refuses %j with a message that says what to do', (extra, message) => {
    expect(() => baselineFromRows(rows(), { ...options, ...extra })).toThrow(message);
  });

  it('refuses a score outside [0, 1] and a label that is not binary, naming the row', () => {
    const bad = rows();
    bad[3].score = '1.5';
    expect(() => baselineFromRows(bad, { ...options, ...scoring })).toThrow(
      /row 4: column "score" must be a probability between 0 and 1/,
    );
    const badLabel = rows();
    badLabel[6].truth = 'yes';
    expect(() => baselineFromRows(badLabel, { ...options, ...scoring })).toThrow(
      ReferenceFileError,
    );
  });

  it('reads cells as the contract reads feature values', () => {
    expect([
      cellValue(''),
      cellValue(' 4.5 '),
      cellValue('DE'),
      cellValue(3n),
      cellValue(true),
    ]).toEqual([null, 4.5, 'DE', 3, true]);
  });
});
