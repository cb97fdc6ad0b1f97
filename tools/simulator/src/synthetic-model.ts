import {
  calibrationOf,
  scoreEdges,
  type FeatureValue,
  type TelemetryRecord,
} from '@fulcrum/contracts';
import { baseline, prediction, quality } from '@fulcrum/testing';

/** A deterministic pseudo-random source (mulberry32), so a seeded run is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number, mean: number, sd: number): number {
  const u = Math.max(r(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export interface ModelProfile {
  modelId: string;
  interaction: 'realtime' | 'batch';
  latencyMs: number;
  accuracy: number;
  errorRate: number;
  /** Minutes of simulated time after which the model degrades; null never. */
  degradesAfterMin: number | null;
  /** Whether ground truth (quality records) is sent for it. */
  labels: boolean;
  /**
   * A binary classifier that reports its score and predicted label with each prediction (and a
   * calibration in its baseline), its labels arriving this many minutes after the window: its
   * accuracy is estimated long before they come. Absent: no scores.
   */
  scored?: { labelDelayMin: number };
  /** What the team states about it (PUT /api/v1/models/{id}/profile); null: nobody profiled it. */
  business: { tier: 1 | 2 | 3; valuePerRequest: number; kpi: string; ownerTeam: string } | null;
}

const CHANNELS = ['web', 'app', 'store', 'partner'];
const CHANNEL_WEIGHTS = [0.5, 0.3, 0.15, 0.05];
const DRIFTED_WEIGHTS = [0.15, 0.2, 0.25, 0.4];

/**
 * One synthetic model: predictions with two numeric and one categorical feature, latency, errors,
 * and delayed ground truth. A degrading model loses accuracy, slows down, errors more and its inputs
 * drift, ramping over an hour of simulated time after `degradesAfterMin`.
 */
export class SyntheticModel {
  private readonly random: () => number;
  private labeled = 0;
  private correct = 0;
  private windowStart: number | null = null;
  /** Closed quality windows waiting for their labels to arrive (scored models). */
  private readonly pendingLabels: { due: number; record: TelemetryRecord }[] = [];

  constructor(
    readonly profile: ModelProfile,
    seed: number,
    private readonly startedAt: number,
  ) {
    this.random = rng(seed);
  }

  /** 0 while healthy, rising to 1 over the hour after degradation starts. */
  severity(t: number): number {
    const { degradesAfterMin } = this.profile;
    if (degradesAfterMin === null) return 0;
    const minutes = (t - this.startedAt) / 60_000 - degradesAfterMin;
    return Math.max(0, Math.min(1, minutes / 60));
  }

  /**
   * The reference the platform would publish at deploy time: the healthy input distribution,
   * binned from a sample drawn with its own seed.
   */
  baselineRecord(t: number): TelemetryRecord {
    const r = rng(7);
    const amountEdges = [20, 35, 45, 55, 65, 80];
    const tenureEdges = [30, 90, 180, 365, 730];
    const amount = new Array<number>(amountEdges.length + 1).fill(0);
    const tenure = new Array<number>(tenureEdges.length + 1).fill(0);
    const channels: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      const f = this.features(r, 0);
      amount[binOf(amountEdges, f.amount as number)]++;
      tenure[binOf(tenureEdges, f.tenure_days as number)]++;
      channels[f.channel as string] = (channels[f.channel as string] ?? 0) + 1;
    }
    const features = {
      amount: { type: 'numeric' as const, edges: amountEdges, counts: amount },
      tenure_days: { type: 'numeric' as const, edges: tenureEdges, counts: tenure },
      channel: { type: 'categorical' as const, counts: channels },
    };
    if (!this.profile.scored) return baseline(this.profile.modelId, t, features);
    // The labeled reference the calibration comes from: healthy predictions and their outcomes.
    const rows = Array.from({ length: 20000 }, () => {
      const { score, predicted, actual } = this.outcome(r, 0);
      return { score, predicted, actual };
    });
    return baseline(this.profile.modelId, t, features, 'v1', calibrationOf(rows, scoreEdges(100)));
  }

  /**
   * A scored prediction: the probability of class 1 (its score, calibrated), the label predicted
   * from it and the true outcome. The distance from 0.5 is 0.5 · u^k (u uniform): healthy, k = 0.19
   * keeps most scores near 0 or 1 (expected accuracy 0.5 + 0.5/(k + 1) = 0.92); as the model
   * degrades its inputs move to where it is unsure and k rises to 1 (0.75). The scores show the
   * loss before any label does, and the healthy reference still covers every score (thinly in the
   * middle), so the calibration has something to say there.
   */
  private outcome(r: () => number, s: number): { score: number; predicted: 0 | 1; actual: 0 | 1 } {
    const margin = 0.5 * r() ** (0.19 + 0.81 * s);
    const p = r() < 0.5 ? 0.5 - margin : 0.5 + margin;
    const score = Math.min(1, Math.max(0, Math.round(p * 100) / 100));
    const predicted = score >= 0.5 ? 1 : 0;
    return { score, predicted, actual: r() < p ? 1 : 0 };
  }

  private features(r: () => number, s: number): Record<string, FeatureValue> {
    const weights = s > 0.3 ? DRIFTED_WEIGHTS : CHANNEL_WEIGHTS;
    let pick = r();
    let channel = CHANNELS[CHANNELS.length - 1];
    for (let i = 0; i < CHANNELS.length; i++) {
      if ((pick -= weights[i]) < 0) {
        channel = CHANNELS[i];
        break;
      }
    }
    return {
      amount: Math.round(normal(r, 50 + 30 * s, 15) * 100) / 100,
      tenure_days: Math.round(Math.abs(normal(r, 300, 250))),
      channel,
    };
  }

  predictionRecord(t: number): TelemetryRecord {
    const s = this.severity(t);
    const r = this.random;
    const slow = r() < 0.02 + 0.85 * s;
    const target = this.profile.interaction === 'realtime' ? 100 : 500;
    const latencyMs = Math.max(
      1,
      slow
        ? normal(r, target * 1.8, target * 0.3)
        : normal(r, this.profile.latencyMs, this.profile.latencyMs * 0.25),
    );
    const error = r() < this.profile.errorRate + 0.09 * s;
    const features = this.features(r, s);
    // Ground truth for this prediction arrives with the next quality window.
    this.labeled++;
    if (this.profile.scored) {
      const { score, predicted, actual } = this.outcome(r, s);
      if (predicted === actual) this.correct++;
      return prediction(this.profile.modelId, t, {
        latencyMs: Math.round(latencyMs * 10) / 10,
        outcome: error ? 'error' : 'ok',
        interaction: this.profile.interaction,
        features,
        score,
        predictedLabel: predicted,
      });
    }
    if (r() < this.profile.accuracy - 0.25 * s) this.correct++;
    return prediction(this.profile.modelId, t, {
      latencyMs: Math.round(latencyMs * 10) / 10,
      outcome: error ? 'error' : 'ok',
      interaction: this.profile.interaction,
      features,
    });
  }

  /** Closes the current ground-truth window every `everyMs` of event time. */
  qualityRecord(t: number, everyMs: number): TelemetryRecord | null {
    this.windowStart ??= t;
    const delayMs = (this.profile.scored?.labelDelayMin ?? 0) * 60_000;
    if (this.profile.labels && t - this.windowStart >= everyMs && this.labeled > 0) {
      const record = quality(this.profile.modelId, this.windowStart, t, this.labeled, this.correct);
      this.windowStart = t;
      this.labeled = 0;
      this.correct = 0;
      if (delayMs === 0) return record;
      this.pendingLabels.push({ due: t + delayMs, record });
    }
    const next = this.pendingLabels[0];
    if (next && next.due <= t) {
      this.pendingLabels.shift();
      // Stamped when they arrive: the labels of a window closed `delayMs` ago.
      next.record.eventTime = new Date(t).toISOString();
      return next.record;
    }
    return null;
  }
}

export const DEFAULT_PROFILES: ModelProfile[] = [
  {
    modelId: 'fraud-scorer',
    interaction: 'realtime',
    latencyMs: 45,
    accuracy: 0.94,
    errorRate: 0.001,
    degradesAfterMin: 20,
    labels: true,
    business: { tier: 1, valuePerRequest: 0.4, kpi: 'checkout conversion', ownerTeam: 'risk-ml' },
  },
  {
    modelId: 'churn-predictor',
    interaction: 'batch',
    latencyMs: 180,
    accuracy: 0.91,
    errorRate: 0.001,
    degradesAfterMin: null,
    labels: true,
    business: { tier: 2, valuePerRequest: 0.05, kpi: 'retention', ownerTeam: 'growth-ml' },
  },
  {
    modelId: 'search-ranker',
    interaction: 'realtime',
    latencyMs: 30,
    accuracy: 0.93,
    errorRate: 0.0005,
    degradesAfterMin: null,
    // Nobody profiled it and no labels arrive: the audit's low end.
    labels: false,
    business: null,
  },
  {
    modelId: 'loan-approval',
    interaction: 'realtime',
    latencyMs: 50,
    accuracy: 0.92,
    errorRate: 0.001,
    // Its labels (loan outcomes) come 6 h late; its scores say at once that it is slipping.
    degradesAfterMin: 30,
    labels: true,
    scored: { labelDelayMin: 360 },
    business: { tier: 1, valuePerRequest: 0.8, kpi: 'approved loans', ownerTeam: 'credit-ml' },
  },
  {
    modelId: 'support-router',
    interaction: 'realtime',
    latencyMs: 60,
    accuracy: 0.9,
    errorRate: 0.002,
    // Degrades like fraud-scorer, but it is internal and cheap: it should rank below it.
    degradesAfterMin: 20,
    labels: true,
    business: {
      tier: 3,
      valuePerRequest: 0.002,
      kpi: 'ticket routing',
      ownerTeam: 'support-tools',
    },
  },
];

function binOf(edges: number[], v: number): number {
  let i = 0;
  while (i < edges.length && v > edges[i]) i++;
  return i;
}
