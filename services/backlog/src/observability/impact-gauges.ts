import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { AUDIT_CHECKS, type Audit } from '../domain/audit/audit-checks';
import { ImpactQueries, type ModelView } from '../read-models/impact.queries';

/**
 * Business impact at scrape time: value at risk and cost of delay per model, and the models nobody
 * has profiled. Labels: model (bounded by the models known from telemetry, profiles or incidents).
 * Amounts are in FULCRUM_VALUE_CURRENCY; models whose value at risk cannot be estimated (no
 * profile, no status) have no value-at-risk series rather than a misleading 0.
 */
@Injectable()
export class ImpactGauges {
  constructor(@Inject(Registry) registry: Registry, impact: ImpactQueries) {
    const registers = [registry];
    let snapshot: Promise<ModelView[]> | null = null;
    const read = () => {
      snapshot ??= impact.models().finally(() => setTimeout(() => (snapshot = null), 250));
      return snapshot;
    };
    new Gauge({
      name: 'fulcrum_model_value_at_risk_per_hour',
      help: 'Estimated value at risk per hour of a model from its open incidents (requests × value per request × share badly served), in the configured currency.',
      labelNames: ['model'],
      registers,
      async collect() {
        const models = await read();
        this.reset();
        for (const m of models)
          if (m.valueAtRisk.perHour !== null) this.set({ model: m.modelId }, m.valueAtRisk.perHour);
      },
    });
    new Gauge({
      name: 'fulcrum_model_cost_of_delay',
      help: 'Value at risk accumulated so far by the open reliability items of a model while not committed, in the configured currency.',
      labelNames: ['model'],
      registers,
      async collect() {
        const models = await read();
        this.reset();
        for (const m of models)
          if (m.costOfDelay !== null) this.set({ model: m.modelId }, m.costOfDelay);
      },
    });
    new Gauge({
      name: 'fulcrum_model_accuracy_ratio',
      help: 'Accuracy of a model from its latest status: basis="realized" measured with labels, basis="estimated" estimated from its scores before labels arrive (confidence-based performance estimation).',
      labelNames: ['model', 'basis'],
      registers,
      async collect() {
        const models = await read();
        this.reset();
        for (const m of models) {
          if (m.status?.accuracy)
            this.set({ model: m.modelId, basis: 'realized' }, m.status.accuracy.value);
          if (m.status?.estimatedAccuracy)
            this.set({ model: m.modelId, basis: 'estimated' }, m.status.estimatedAccuracy.value);
        }
      },
    });
    new Gauge({
      name: 'fulcrum_model_accuracy_estimate_error_ratio',
      help: "Mean of (estimated − realized accuracy) over the last day's labelled windows: far from 0, outcomes no longer follow the scores as in the reference (concept shift) and the estimate is not to be trusted.",
      labelNames: ['model'],
      registers,
      async collect() {
        const models = await read();
        this.reset();
        for (const m of models) {
          const error = m.status?.estimatedAccuracy?.error;
          if (error) this.set({ model: m.modelId }, error.mean);
        }
      },
    });
    let audits: Promise<(Audit & { tier: string })[]> | null = null;
    const readAudits = () => {
      audits ??= impact
        .audits()
        .then((all) =>
          all.map(({ audit, profile }) => ({ ...audit, tier: String(profile?.tier ?? 'none') })),
        )
        .finally(() => setTimeout(() => (audits = null), 250));
      return audits;
    };
    new Gauge({
      name: 'fulcrum_model_audit_coverage_ratio',
      help: 'Technical-debt audit coverage of a model: passed ÷ applicable checks. tier is the profile tier (none without a profile).',
      labelNames: ['model', 'tier'],
      registers,
      async collect() {
        this.reset();
        for (const a of await readAudits())
          this.set({ model: a.modelId, tier: a.tier }, a.coverage);
      },
    });
    new Gauge({
      name: 'fulcrum_audit_failing_models',
      help: 'Models failing each audit check.',
      labelNames: ['check'],
      registers,
      async collect() {
        const all = await readAudits();
        this.reset();
        for (const check of AUDIT_CHECKS)
          this.set({ check }, all.filter((a) => a.failing.includes(check)).length);
      },
    });
    new Gauge({
      name: 'fulcrum_models_without_profile',
      help: 'Models seen in telemetry or incidents that have no profile (no owner, tier or value).',
      registers,
      async collect() {
        this.set((await read()).filter((m) => m.profile === null).length);
      },
    });
  }
}
