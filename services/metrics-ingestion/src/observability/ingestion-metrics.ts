import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ModelStateStore } from '../model-state/model-state.store';

/**
 * Ingestion metrics. Labels are bounded: kind (4), reason code (8), rule (5), transition (3),
 * partition (the topic's partition count), model (the models this instance owns), window (7).
 */
@Injectable()
export class IngestionMetrics {
  readonly consumed: Counter<'kind'>;
  readonly invalid: Counter<'reason'>;
  readonly late: Counter<'kind'>;
  readonly duplicates: Counter;
  readonly emitted: Counter<'rule' | 'transition'>;
  readonly lag: Gauge<'partition'>;
  readonly batchDuration: Histogram;
  readonly restores: Counter;

  constructor(@Inject(Registry) registry: Registry, store: ModelStateStore) {
    const registers = [registry];
    this.consumed = new Counter({
      name: 'fulcrum_ingestion_records_consumed_total',
      help: 'Valid telemetry records applied, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.invalid = new Counter({
      name: 'fulcrum_ingestion_records_invalid_total',
      help: 'Telemetry records sent to the dead-letter topic, by reason code.',
      labelNames: ['reason'],
      registers,
    });
    this.late = new Counter({
      name: 'fulcrum_ingestion_records_late_total',
      help: 'Valid records older than the allowed lateness, counted but not applied, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'fulcrum_ingestion_records_reprocessed_skipped_total',
      help: 'Redelivered records already folded into the restored state and skipped.',
      registers,
    });
    this.emitted = new Counter({
      name: 'fulcrum_ingestion_reliability_events_emitted_total',
      help: 'Reliability events acknowledged by the broker, by rule and transition.',
      labelNames: ['rule', 'transition'],
      registers,
    });
    this.lag = new Gauge({
      name: 'fulcrum_ingestion_consumer_lag_messages',
      help: 'Messages behind the high watermark at the last batch, by partition.',
      labelNames: ['partition'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'fulcrum_ingestion_batch_duration_seconds',
      help: 'Consume-to-commit time of one batch (validate, evaluate, produce, checkpoint, commit).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.restores = new Counter({
      name: 'fulcrum_ingestion_state_restored_models_total',
      help: 'Model states restored from the state changelog after an assignment.',
      registers,
    });

    new Gauge({
      name: 'fulcrum_ingestion_open_incidents',
      help: 'Open incidents per model, rule and severity on this instance.',
      labelNames: ['model', 'rule', 'severity'],
      registers,
      collect() {
        this.reset();
        for (const state of store.all()) {
          for (const [rule, incident] of Object.entries(state.incidents)) {
            if (incident) this.set({ model: state.modelId, rule, severity: incident.severity }, 1);
          }
        }
      },
    });
    new Gauge({
      name: 'fulcrum_ingestion_burn_rate',
      help: 'Latest burn rate per model, SLO rule and window (1 = spending the budget exactly on time).',
      labelNames: ['model', 'rule', 'window'],
      registers,
      collect() {
        this.reset();
        for (const state of store.all()) {
          for (const [rule, rates] of Object.entries(state.burnRates)) {
            for (const [window, value] of Object.entries(rates ?? {}))
              this.set({ model: state.modelId, rule, window }, value);
          }
        }
      },
    });
    new Gauge({
      name: 'fulcrum_ingestion_feature_drift_score',
      help: 'Highest drift score (PSI or Jensen-Shannon distance) across the features of a model in its last judged window.',
      labelNames: ['model'],
      registers,
      collect() {
        this.reset();
        for (const state of store.all()) {
          const scores = Object.values(state.drift.lastScores);
          if (scores.length) this.set({ model: state.modelId }, Math.max(...scores));
        }
      },
    });
    new Gauge({
      name: 'fulcrum_ingestion_models_tracked',
      help: 'Models whose state this instance holds.',
      registers,
      collect() {
        this.set(store.size);
      },
    });
    new Gauge({
      name: 'fulcrum_ingestion_state_bytes',
      help: 'Approximate bytes of live model state on this instance.',
      registers,
      collect() {
        let bytes = 0;
        for (const s of store.all()) bytes += s.byteLength;
        this.set(bytes);
      },
    });
  }
}
