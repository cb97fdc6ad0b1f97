import type { RuleName } from '@fulcrum/contracts';
import type { OpenIncident } from '../incidents/incident';
import { type QualityWindow } from '../rules/accuracy.rule';
import { FeatureDrift, type FeatureDriftJSON } from './feature-drift';
import type { ChunkRef, RowChunk } from './reference-row-log';
import type { EncodedRows } from '../rules/reference-rows.codec';
import { statusDigest } from './status-digest';
import { SloCounters } from '../rules/slo-counters';
import { BucketRing } from '../rules/bucket-ring';
import { FINE_BUCKET_MS, TRAFFIC_BUCKETS } from '../settings/rule-settings';
import { StatusMarks, type StatusMarksJSON } from './status-marks';
import { AccuracyEstimation } from './accuracy-estimation';

/** At most this many feature names are remembered for coverage (the contract allows 64 per record). */
export const FEATURES_TRACKED = 64;

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
  /** Calibration and scored-prediction sums for the accuracy estimate (empty without a calibration). */
  estimation = new AccuracyEstimation();
  incidents: Partial<Record<RuleName, OpenIncident>> = {};
  /** Offset (in its partition) of the last record applied; reprocessing skips up to here. */
  lastOffset = -1;
  /** Processing time of the last record, for the stale rule. */
  lastSeenAt = 0;
  /** Requests per interaction class (realtime, batch) in 5-minute buckets, for the model status. */
  traffic = new BucketRing(FINE_BUCKET_MS, TRAFFIC_BUCKETS, 2);
  /** The status's latest-record, labels, latency and version facts, answerable per boundary. */
  marks = new StatusMarks();
  /** Feature names seen in predictions and windows (bounded), for coverage. */
  featuresSeen: string[] = [];
  /** Earliest event time each name in `featuresSeen` was seen (same order). */
  featuresSince: number[] = [];
  /** Digest of the last status emitted, without its time: a status goes out only when it changes. */
  lastStatusDigest: string | null = null;
  /** Latest burn rates per rule and window, for the gauges only. */
  burnRates: Partial<Record<'latency_slo' | 'error_budget', Record<string, number>>> = {};

  constructor(readonly modelId: string) {}

  get byteLength(): number {
    return (
      320 +
      this.slo.byteLength +
      this.traffic.byteLength +
      this.quality.length * 48 +
      this.featuresSeen.length * 48 +
      this.marks.byteLength +
      (this.lastStatusDigest?.length ?? 0) +
      this.drift.byteLength +
      (this.estimation.calibrated ? this.estimation.byteLength : 0)
    );
  }

  /** A self-contained snapshot (a building reference's rows inline). */
  toJSON() {
    return this.json(this.drift.toJSON());
  }

  /**
   * The changelog form: the state message, the reference-row chunks to write before it and the
   * chunks to delete after it (see ReferenceRowLog).
   */
  checkpoint(): { json: ModelStateJSON; chunks: RowChunk[]; obsolete: ChunkRef[] } {
    const { json, chunks, obsolete } = this.drift.checkpoint();
    return { json: this.json(json), chunks, obsolete };
  }

  /** A checkpoint that carried this state failed (see FeatureDrift.checkpointLost). */
  checkpointLost(): void {
    this.drift.checkpointLost();
  }

  private json(drift: FeatureDriftJSON) {
    return {
      v: 1,
      modelId: this.modelId,
      modelVersion: this.modelVersion,
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      evaluatedThrough: Number.isFinite(this.evaluatedThrough) ? this.evaluatedThrough : null,
      slo: this.slo.toJSON(),
      quality: this.quality,
      drift,
      incidents: this.incidents,
      lastOffset: this.lastOffset,
      traffic: this.traffic.toJSON(),
      marks: this.marks.toJSON(),
      featuresSeen: this.featuresSeen,
      featuresSince: this.featuresSince,
      statusDigest: this.lastStatusDigest,
      // Models without a calibration have nothing to estimate with: their checkpoints stay as small.
      estimation: this.estimation.calibrated ? this.estimation.toJSON() : undefined,
    };
  }

  static fromJSON(
    json: Partial<ReturnType<ModelState['toJSON']>> &
      Pick<
        ReturnType<ModelState['toJSON']>,
        | 'modelId'
        | 'modelVersion'
        | 'watermark'
        | 'evaluatedThrough'
        | 'slo'
        | 'quality'
        | 'drift'
        | 'incidents'
        | 'lastOffset'
      > & {
        lastStatus?: string | null;
        // Written before the status marks: the latest of each, whatever its arrival order.
        versionSince?: number | null;
        lastLabelsAt?: number | null;
        lastLatencyAt?: number | null;
        lastRecordAt?: number | null;
        marks?: StatusMarksJSON;
      },
    now: number,
    /** The model's reference-row chunks from the changelog, by "generation/index". */
    rowChunks?: ReadonlyMap<string, EncodedRows>,
  ): ModelState {
    const s = new ModelState(json.modelId);
    s.modelVersion = json.modelVersion;
    s.watermark = json.watermark ?? -Infinity;
    s.evaluatedThrough = json.evaluatedThrough ?? -Infinity;
    s.slo = SloCounters.fromJSON(json.slo);
    s.quality = json.quality;
    s.drift = FeatureDrift.fromJSON(json.drift, rowChunks);
    s.estimation = AccuracyEstimation.fromJSON(json.estimation);
    s.incidents = json.incidents;
    s.lastOffset = json.lastOffset;
    // Checkpoints written before the model status existed lack these: they start empty.
    if (json.traffic)
      s.traffic = BucketRing.fromJSON(json.traffic, FINE_BUCKET_MS, TRAFFIC_BUCKETS, 2);
    s.marks = json.marks
      ? StatusMarks.fromJSON(json.marks)
      : StatusMarks.fromLatest({
          lastRecordAt: json.lastRecordAt ?? -Infinity,
          lastLabelsAt: json.lastLabelsAt ?? -Infinity,
          lastLatencyAt: json.lastLatencyAt ?? -Infinity,
          version: json.modelVersion,
          versionSince: json.versionSince ?? -Infinity,
        });
    s.featuresSeen = json.featuresSeen ?? [];
    // Older checkpoints lack first-seen times: their features count as seen before any boundary.
    s.featuresSince = json.featuresSince ?? s.featuresSeen.map(() => -Infinity);
    // Checkpoints written before the digest held the status text itself.
    s.lastStatusDigest =
      json.statusDigest ?? (json.lastStatus ? statusDigest(json.lastStatus) : null);
    // Staleness restarts from the restore: downtime of this service says nothing about the model.
    s.lastSeenAt = now;
    return s;
  }
}

export type ModelStateJSON = ReturnType<ModelState['toJSON']>;
