import { ANY, LABELS, LATENCY, StatusMarks } from './status-marks';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 10, 0);

describe('status marks', () => {
  it('answer as of a boundary: records at or after it do not count', () => {
    const m = new StatusMarks();
    m.note(T0 + 1 * MIN, ANY | LATENCY, 'v1');
    m.note(T0 + 4 * MIN, ANY | LABELS, 'v1');
    m.note(T0 + 6 * MIN, ANY | LATENCY, 'v2');
    expect(m.at(T0 + 5 * MIN)).toEqual({
      lastRecordAt: T0 + 4 * MIN,
      lastLabelsAt: T0 + 4 * MIN,
      lastLatencyAt: T0 + 1 * MIN,
      version: 'v1',
      versionFirstSeenAt: T0 + 1 * MIN,
    });
    expect(m.at(T0 + 10 * MIN)).toMatchObject({ version: 'v2', versionFirstSeenAt: T0 + 6 * MIN });
  });

  it('fold buckets older than the ring into settled history and survive a checkpoint', () => {
    const m = new StatusMarks();
    m.note(T0, ANY | LABELS, 'v1');
    for (let i = 1; i < 40; i++) m.note(T0 + i * 5 * MIN, ANY | LATENCY, 'v1');
    const restored = StatusMarks.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    for (const b of [T0 + 30 * 5 * MIN, T0 + 40 * 5 * MIN]) expect(restored.at(b)).toEqual(m.at(b));
    expect(m.at(T0 + 40 * 5 * MIN).lastLabelsAt).toBe(T0);
  });

  it('read a checkpoint that predates them as settled history', () => {
    const m = StatusMarks.fromLatest({
      lastRecordAt: T0,
      lastLabelsAt: -Infinity,
      lastLatencyAt: T0 - MIN,
      version: 'v3',
      versionSince: T0 - 60 * MIN,
    });
    expect(m.at(T0 + 5 * MIN)).toEqual({
      lastRecordAt: T0,
      lastLabelsAt: -Infinity,
      lastLatencyAt: T0 - MIN,
      version: 'v3',
      versionFirstSeenAt: T0 - 60 * MIN,
    });
  });
});
