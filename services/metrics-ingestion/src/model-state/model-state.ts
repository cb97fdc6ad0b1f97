import type { RuleName } from '@fulcrum/contracts';
import type { OpenIncident } from '../incidents/incident';
import { type QualityWindow } from '../rules/accuracy.rule';
import { FeatureDrift } from '../rules/feature-drift.rule';
import { SloCounters } from '../rules/slo-counters';

/**
 * Everything metrics-ingestion remembers about one model. Fixed-size: SLO counters in bucket rings,
 * the last 64 quality windows, reference bins and two drift windows per feature, one open incident
 * per rule. Checkpointed to the compacted state topic after each batch that touched it.
 */
export class ModelState {
  modelVersion = '';
  /** Highest event time seen. */
  watermark = -Infinity;
  /** Fine-bucket boundary up to which the SLO and drift rules have been evaluated. */
  evaluatedThrough = -Infinity;
  slo = new SloCounters();
  quality: QualityWindow[] = [];
  drift = new FeatureDrift();
  incidents: Partial<Record<RuleName, OpenIncident>> = {};
  /** Offset (in its partition) of the last record applied; reprocessing skips up to here. */
  lastOffset = -1;
  /** Processing time of the last record, for the stale rule. */
  lastSeenAt = 0;
  /** Latest burn rates per rule and window, for the gauges only. */
  burnRates: Partial<Record<'latency_slo' | 'error_budget', Record<string, number>>> = {};

  constructor(readonly modelId: string) {}

  get byteLength(): number {
    return 256 + this.slo.byteLength + this.quality.length * 48 + this.drift.byteLength;
  }

  toJSON() {
    return {
      v: 1,
      modelId: this.modelId,
      modelVersion: this.modelVersion,
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      evaluatedThrough: Number.isFinite(this.evaluatedThrough) ? this.evaluatedThrough : null,
      slo: this.slo.toJSON(),
      quality: this.quality,
      drift: this.drift.toJSON(),
      incidents: this.incidents,
      lastOffset: this.lastOffset,
    };
  }

  static fromJSON(json: ReturnType<ModelState['toJSON']>, now: number): ModelState {
    const s = new ModelState(json.modelId);
    s.modelVersion = json.modelVersion;
    s.watermark = json.watermark ?? -Infinity;
    s.evaluatedThrough = json.evaluatedThrough ?? -Infinity;
    s.slo = SloCounters.fromJSON(json.slo);
    s.quality = json.quality;
    s.drift = FeatureDrift.fromJSON(json.drift);
    s.incidents = json.incidents;
    s.lastOffset = json.lastOffset;
    // Staleness restarts from the restore: downtime of this service says nothing about the model.
    s.lastSeenAt = now;
    return s;
  }
}
