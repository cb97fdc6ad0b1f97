import type { Severity } from '@fulcrum/contracts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface BurnRateAlert {
  severity: Severity;
  factor: number;
  longMs: number;
  shortMs: number;
}

/** Every threshold, window and cooldown of the rules; per-model overrides merge over these. */
export interface RuleSettings {
  allowedLatenessMs: number;
  accuracy: {
    enabled: boolean;
    minLabeled: number;
    warningBelow: number;
    criticalBelow: number;
    resolveAtOrAbove: number;
    cooldownMs: number;
  };
  /**
   * Accuracy estimated from scores (needs a calibration in the model's baseline), judged by the
   * accuracy thresholds above over the newest predictions holding at least `minPredictions`.
   */
  accuracyEstimate: { enabled: boolean; minPredictions: number; cooldownMs: number };
  latency: {
    enabled: boolean;
    realtimeTargetMs: number;
    batchTargetMs: number;
    objective: number;
    minEvents: number;
    cooldownMs: number;
  };
  errorBudget: { enabled: boolean; objective: number; minEvents: number; cooldownMs: number };
  burnRateAlerts: BurnRateAlert[];
  drift: {
    enabled: boolean;
    windowMs: number;
    minObservations: number;
    psiWarning: number;
    psiCritical: number;
    jsWarning: number;
    modelDriftShare: number;
    referenceSize: number;
    bins: number;
    cooldownMs: number;
  };
  stale: { enabled: boolean; afterMs: number };
}

/** The product's documented defaults (the README's rules table); burn-rate windows as the SRE Workbook / Sloth generate them (30-day period). */
export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  allowedLatenessMs: 2 * MINUTE,
  accuracy: {
    enabled: true,
    minLabeled: 200,
    warningBelow: 0.85,
    criticalBelow: 0.8,
    resolveAtOrAbove: 0.87,
    cooldownMs: 30 * MINUTE,
  },
  accuracyEstimate: { enabled: true, minPredictions: 500, cooldownMs: 30 * MINUTE },
  latency: {
    enabled: true,
    realtimeTargetMs: 100,
    batchTargetMs: 500,
    objective: 0.95,
    minEvents: 100,
    cooldownMs: 15 * MINUTE,
  },
  errorBudget: { enabled: true, objective: 0.995, minEvents: 100, cooldownMs: 15 * MINUTE },
  burnRateAlerts: [
    { severity: 'critical', factor: 14.4, longMs: HOUR, shortMs: 5 * MINUTE },
    { severity: 'critical', factor: 6, longMs: 6 * HOUR, shortMs: 30 * MINUTE },
    { severity: 'warning', factor: 3, longMs: DAY, shortMs: 2 * HOUR },
    { severity: 'warning', factor: 1, longMs: 3 * DAY, shortMs: 6 * HOUR },
  ],
  drift: {
    enabled: true,
    windowMs: HOUR,
    minObservations: 1000,
    psiWarning: 0.1,
    psiCritical: 0.25,
    jsWarning: 0.1,
    modelDriftShare: 0.5,
    referenceSize: 1000,
    bins: 10,
    cooldownMs: HOUR,
  },
  stale: { enabled: true, afterMs: 15 * MINUTE },
};

/** The most a record may trail its model's watermark and still count (settings refuse more). */
export const MAX_ALLOWED_LATENESS_MS = HOUR;

/**
 * Bucket layout of the SLO counters: 5-minute buckets answer windows up to 6 h, hourly buckets up
 * to 3 days. A ring holds more buckets than its span: when boundary b is evaluated, records up to
 * the allowed lateness past b are already counted, in buckets that would otherwise reuse the slots
 * of the window's oldest buckets and silently shorten every window by one bucket.
 */
export const FINE_BUCKET_MS = 5 * MINUTE;
export const FINE_SPAN_MS = 6 * HOUR;
export const FINE_BUCKETS =
  FINE_SPAN_MS / FINE_BUCKET_MS + 1 + Math.ceil(MAX_ALLOWED_LATENESS_MS / FINE_BUCKET_MS);
/** The model status's traffic counts span one hour (plus the lateness, as above) in fine buckets. */
export const TRAFFIC_BUCKETS =
  HOUR / FINE_BUCKET_MS + 1 + Math.ceil(MAX_ALLOWED_LATENESS_MS / FINE_BUCKET_MS);
export const COARSE_BUCKET_MS = HOUR;
export const COARSE_SPAN_MS = 3 * DAY;
export const COARSE_BUCKETS =
  COARSE_SPAN_MS / COARSE_BUCKET_MS + 1 + Math.ceil(MAX_ALLOWED_LATENESS_MS / COARSE_BUCKET_MS);
