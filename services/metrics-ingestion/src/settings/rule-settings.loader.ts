import { readFileSync } from 'node:fs';
import {
  DEFAULT_RULE_SETTINGS,
  FINE_BUCKET_MS,
  COARSE_SPAN_MS,
  MAX_ALLOWED_LATENESS_MS,
  type RuleSettings,
} from './rule-settings';

/**
 * The rules file (JSON): `{ "defaults": {...partial settings}, "models": { "<modelId>": {...} } }`.
 * Validated once at start-up; every bad value is reported with its path.
 */
export interface RulesFile {
  defaults?: DeepPartial<RuleSettings>;
  models?: Record<string, DeepPartial<RuleSettings>>;
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

export class RuleSettingsResolver {
  private readonly cache = new Map<string, RuleSettings>();
  readonly defaults: RuleSettings;

  constructor(file: RulesFile = {}) {
    const problems: string[] = [];
    this.defaults = merge(DEFAULT_RULE_SETTINGS, file.defaults ?? {}, 'defaults', problems);
    validate(this.defaults, 'defaults', problems);
    for (const [model, override] of Object.entries(file.models ?? {})) {
      const merged = merge(this.defaults, override, `models.${model}`, problems);
      validate(merged, `models.${model}`, problems);
      this.cache.set(model, merged);
    }
    if (problems.length)
      throw new Error(`Invalid rules configuration:\n  - ${problems.join('\n  - ')}`);
  }

  static fromFile(path: string | undefined): RuleSettingsResolver {
    if (!path) return new RuleSettingsResolver();
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read rules file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`Rules file ${path} must hold a JSON object with "defaults" and/or "models"`);
    }
    return new RuleSettingsResolver(parsed);
  }

  for(modelId: string): RuleSettings {
    return this.cache.get(modelId) ?? this.defaults;
  }
}

function merge<T>(base: T, override: unknown, path: string, problems: string[]): T {
  if (override === undefined) return base;
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) problems.push(`${path} must be an array`);
    return (Array.isArray(override) ? override : base) as T;
  }
  if (typeof base === 'object' && base !== null) {
    if (typeof override !== 'object' || override === null || Array.isArray(override)) {
      problems.push(`${path} must be an object`);
      return base;
    }
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(override)) {
      if (!(key in out)) {
        problems.push(`${path}.${key} is not a known setting`);
        continue;
      }
      out[key] = merge(out[key], value, `${path}.${key}`, problems);
    }
    return out as T;
  }
  if (typeof override !== typeof base) {
    problems.push(`${path} must be a ${typeof base}; got ${JSON.stringify(override)}`);
    return base;
  }
  return override as T;
}

function validate(s: RuleSettings, path: string, problems: string[]): void {
  const ratio = (v: number, name: string) => {
    if (!(v > 0 && v < 1))
      problems.push(`${path}.${name} must be between 0 and 1 (exclusive); got ${v}`);
  };
  const positive = (v: number, name: string) => {
    if (!(Number.isFinite(v) && v > 0))
      problems.push(`${path}.${name} must be a positive number; got ${v}`);
  };
  positive(s.allowedLatenessMs, 'allowedLatenessMs');
  if (s.allowedLatenessMs > MAX_ALLOWED_LATENESS_MS)
    problems.push(`${path}.allowedLatenessMs must be at most 1 h (${MAX_ALLOWED_LATENESS_MS} ms)`);
  ratio(s.accuracy.warningBelow, 'accuracy.warningBelow');
  ratio(s.accuracy.criticalBelow, 'accuracy.criticalBelow');
  if (s.accuracy.criticalBelow > s.accuracy.warningBelow)
    problems.push(`${path}.accuracy.criticalBelow must not exceed warningBelow`);
  if (s.accuracy.resolveAtOrAbove < s.accuracy.warningBelow)
    problems.push(`${path}.accuracy.resolveAtOrAbove must be at least warningBelow (hysteresis)`);
  positive(s.accuracy.minLabeled, 'accuracy.minLabeled');
  positive(s.accuracyEstimate.minPredictions, 'accuracyEstimate.minPredictions');
  positive(s.accuracyEstimate.cooldownMs, 'accuracyEstimate.cooldownMs');
  ratio(s.latency.objective, 'latency.objective');
  positive(s.latency.realtimeTargetMs, 'latency.realtimeTargetMs');
  positive(s.latency.batchTargetMs, 'latency.batchTargetMs');
  ratio(s.errorBudget.objective, 'errorBudget.objective');
  s.burnRateAlerts.forEach((a, i) => {
    positive(a.factor, `burnRateAlerts[${i}].factor`);
    if (a.severity !== 'warning' && a.severity !== 'critical')
      problems.push(`${path}.burnRateAlerts[${i}].severity must be warning or critical`);
    if (!(a.shortMs < a.longMs))
      problems.push(`${path}.burnRateAlerts[${i}] shortMs must be below longMs`);
    if (a.longMs > COARSE_SPAN_MS)
      problems.push(
        `${path}.burnRateAlerts[${i}].longMs must be at most 3 days (the counter horizon)`,
      );
    if (a.shortMs % FINE_BUCKET_MS !== 0 || a.longMs % FINE_BUCKET_MS !== 0)
      problems.push(`${path}.burnRateAlerts[${i}] windows must be multiples of 5 minutes`);
  });
  positive(s.drift.windowMs, 'drift.windowMs');
  positive(s.drift.minObservations, 'drift.minObservations');
  if (!(Number.isInteger(s.drift.bins) && s.drift.bins >= 2 && s.drift.bins <= 64))
    problems.push(`${path}.drift.bins must be an integer 2..64`);
  if (!(
    Number.isInteger(s.drift.referenceSize) &&
    s.drift.referenceSize >= 50 &&
    s.drift.referenceSize <= 100000
  ))
    problems.push(`${path}.drift.referenceSize must be an integer 50..100000`);
  ratio(s.drift.modelDriftShare, 'drift.modelDriftShare');
  positive(s.stale.afterMs, 'stale.afterMs');
}
