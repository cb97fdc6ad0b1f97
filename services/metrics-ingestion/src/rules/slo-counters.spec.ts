import { DEFAULT_RULE_SETTINGS, FINE_BUCKET_MS } from '../settings/rule-settings';
import { SloCounters, TOTAL } from './slo-counters';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 5);

/** One request per minute for `hours`, then records up to the allowed lateness past boundary `b`. */
function filled(b: number, lateness: number): SloCounters {
  const counters = new SloCounters();
  for (let t = START; t < b; t += MINUTE) counters.add(t, 1, 0, 0);
  // What the evaluator has counted when it judges boundary b: everything up to b + lateness.
  for (let t = b; t <= b + lateness; t += MINUTE) counters.add(t, 1, 0, 0);
  return counters;
}

describe('SLO counters', () => {
  const lateness = DEFAULT_RULE_SETTINGS.allowedLatenessMs;
  const windows = [
    ...new Set(DEFAULT_RULE_SETTINGS.burnRateAlerts.flatMap((a) => [a.shortMs, a.longMs])),
  ];

  it.each(windows.map((w) => [w / MINUTE, w]))(
    'a %i-minute window covers all of its minutes at every boundary, with the lateness already counted',
    (_minutes, windowMs) => {
      // 73 h of history, then every 5-minute boundary over 2 h (all positions within the hour).
      for (let k = 0; k < 24; k++) {
        const b = START + 73 * HOUR + k * FINE_BUCKET_MS;
        const counters = filled(b, lateness);
        const total = counters.window(b, windowMs)[TOTAL];
        // Windows over 6 h are answered from hourly buckets, ending at the hour before b: still
        // whole windows of one request per minute.
        const expected = windowMs / MINUTE;
        expect({ windowMs, b: new Date(b).toISOString(), total }).toEqual({
          windowMs,
          b: new Date(b).toISOString(),
          total: expected,
        });
      }
    },
  );

  it('reproduction from the issue: 1,000 requests a minute for 73 h, one record at boundary + 2 min', () => {
    const counters = new SloCounters();
    const b = START + 73 * HOUR;
    for (let t = START; t < b; t += MINUTE) counters.add(t, 1000, 0, 0);
    counters.add(b + 2 * MINUTE, 1, 0, 0);
    expect(counters.window(b, 6 * HOUR)[TOTAL]).toBe(360 * 1000);
    expect(counters.window(b, 3 * 24 * HOUR)[TOTAL]).toBe(4320 * 1000);
  });

  it('survives its JSON round trip with the same window sums', () => {
    const b = START + 73 * HOUR + 35 * MINUTE;
    const counters = filled(b, lateness);
    const copy = SloCounters.fromJSON(
      JSON.parse(JSON.stringify(counters.toJSON())) as ReturnType<SloCounters['toJSON']>,
    );
    for (const w of windows) expect(copy.window(b, w)).toEqual(counters.window(b, w));
  });
});
