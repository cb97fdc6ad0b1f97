import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULE_SETTINGS } from './rule-settings';
import { RuleSettingsResolver } from './rule-settings.loader';

const problemsOf = (file: unknown) => {
  try {
    new RuleSettingsResolver(file as never);
  } catch (error) {
    return (error as Error).message.split('\n  - ').slice(1);
  }
  throw new Error('expected the rules to be refused');
};

describe('RuleSettingsResolver: the rules file, validated once', () => {
  it('without a file every model gets the defaults', () => {
    const r = new RuleSettingsResolver();
    expect(r.for('any-model')).toEqual(DEFAULT_RULE_SETTINGS);
  });

  it('defaults override the built-in settings, models override the defaults, leaf by leaf', () => {
    const r = new RuleSettingsResolver({
      defaults: { accuracy: { warningBelow: 0.9, resolveAtOrAbove: 0.92 } },
      models: { strict: { accuracy: { criticalBelow: 0.88 } }, loose: { drift: { bins: 20 } } },
    });
    expect(r.for('other').accuracy).toEqual({
      ...DEFAULT_RULE_SETTINGS.accuracy,
      warningBelow: 0.9,
      resolveAtOrAbove: 0.92,
    });
    expect(r.for('strict').accuracy).toMatchObject({ warningBelow: 0.9, criticalBelow: 0.88 });
    expect(r.for('loose').drift.bins).toBe(20);
    expect(r.for('loose').accuracy.warningBelow).toBe(0.9);
  });

  it('reports every bad value with its path, all at once', () => {
    expect(
      problemsOf({
        defaults: { accuracy: { warningBelow: 1.5 }, drift: { bins: 100 }, nonsense: 1 },
        models: { m: { errorBudget: { objective: 'high' } } },
      }),
    ).toEqual([
      'defaults.nonsense is not a known setting',
      'defaults.accuracy.warningBelow must be between 0 and 1 (exclusive); got 1.5',
      'defaults.accuracy.resolveAtOrAbove must be at least warningBelow (hysteresis)',
      'defaults.drift.bins must be an integer 2..64',
      'models.m.errorBudget.objective must be a number; got "high"',
      // A model inherits the bad defaults, and is reported with its own path too.
      'models.m.accuracy.warningBelow must be between 0 and 1 (exclusive); got 1.5',
      'models.m.accuracy.resolveAtOrAbove must be at least warningBelow (hysteresis)',
      'models.m.drift.bins must be an integer 2..64',
    ]);
  });

  it('refuses windows the counters cannot hold and hysteresis turned upside down', () => {
    expect(
      problemsOf({
        defaults: {
          accuracy: { warningBelow: 0.9, resolveAtOrAbove: 0.85 },
          burnRateAlerts: [
            { severity: 'page', factor: 2, longMs: 4 * 86_400_000, shortMs: 90_000 },
          ],
        },
      }),
    ).toEqual([
      'defaults.accuracy.resolveAtOrAbove must be at least warningBelow (hysteresis)',
      'defaults.burnRateAlerts[0].severity must be warning or critical',
      'defaults.burnRateAlerts[0].longMs must be at most 3 days (the counter horizon)',
      'defaults.burnRateAlerts[0] windows must be multiples of 5 minutes',
    ]);
  });

  it('reads a file, and says which file when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const good = join(dir, 'rules.json');
    writeFileSync(good, JSON.stringify({ models: { m: { stale: { afterMs: 60_000 } } } }));
    expect(RuleSettingsResolver.fromFile(good).for('m').stale.afterMs).toBe(60_000);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[1, 2]');
    expect(() => RuleSettingsResolver.fromFile(bad)).toThrow(
      `Rules file ${bad} must hold a JSON object`,
    );
    expect(() => RuleSettingsResolver.fromFile(join(dir, 'missing.json'))).toThrow(
      /^Cannot read rules file .*missing\.json/,
    );
  });
});
