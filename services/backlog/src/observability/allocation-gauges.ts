import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { ReadModelQueries } from '../read-models/read-model.queries';
import { BACKLOGS, QUADRANTS } from '../domain/items/item.types';

/**
 * Allocation balance and model health, computed from the read models at scrape time (one query
 * round per scrape, none on the command path). Labels: backlog (2), quadrant (4), status (7),
 * basis (3), model and rule (bounded by the models that have incidents), severity (2).
 */
@Injectable()
export class AllocationGauges {
  constructor(@Inject(Registry) registry: Registry, queries: ReadModelQueries) {
    const registers = [registry];
    let snapshot: Promise<Snapshot> | null = null;
    // All gauges of one scrape share one read of the read models.
    const read = () => {
      snapshot ??= load(queries).finally(() => setTimeout(() => (snapshot = null), 250));
      return snapshot;
    };

    new Gauge({
      name: 'fulcrum_allocation_backlog_share_ratio',
      help: 'Share of capacity per backlog: planned (last closed ceremony), actual (effort of committed and in-progress items), recommended (from model health; reliability only).',
      labelNames: ['backlog', 'basis'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const b of BACKLOGS) {
          if (s.allocation.planned)
            this.set({ backlog: b, basis: 'planned' }, ratio(s.allocation.planned.byBacklog[b]));
          this.set({ backlog: b, basis: 'actual' }, ratio(s.allocation.actual.byBacklog[b] ?? 0));
        }
        const rec = s.allocation.recommended.reliabilityPercent;
        this.set({ backlog: 'reliability', basis: 'recommended' }, ratio(rec));
        this.set({ backlog: 'capability', basis: 'recommended' }, ratio(100 - rec));
      },
    });
    new Gauge({
      name: 'fulcrum_allocation_quadrant_share_ratio',
      help: 'Share of capacity per quadrant: planned (last closed ceremony) and actual (effort of committed and in-progress items).',
      labelNames: ['quadrant', 'basis'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const q of QUADRANTS) {
          if (s.allocation.planned)
            this.set({ quadrant: q, basis: 'planned' }, ratio(s.allocation.planned.byQuadrant[q]));
          this.set({ quadrant: q, basis: 'actual' }, ratio(s.allocation.actual.byQuadrant[q] ?? 0));
        }
      },
    });
    new Gauge({
      name: 'fulcrum_allocation_reliability_deviation_ratio',
      help: 'Planned minus recommended reliability share of the last closed ceremony (negative: under-investing).',
      registers,
      async collect() {
        const s = await read();
        this.reset();
        if (s.allocation.deviation)
          this.set(ratio(s.allocation.deviation.plannedMinusRecommendedPercent));
      },
    });
    new Gauge({
      name: 'fulcrum_backlog_items',
      help: 'Backlog items per backlog, quadrant and status.',
      labelNames: ['backlog', 'quadrant', 'status'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const row of s.items)
          this.set({ backlog: row.backlog, quadrant: row.quadrant, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'fulcrum_model_open_incidents',
      help: 'Open reliability incidents per model, rule and severity, as recorded in the backlog.',
      labelNames: ['model', 'rule', 'severity'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const m of s.models) {
          for (const i of m.openIncidents)
            this.inc({ model: m.modelId, rule: i.rule, severity: i.severity });
        }
      },
    });
    new Gauge({
      name: 'fulcrum_model_health_ratio',
      help: 'Model health: 1 healthy, 0.5 warnings only, 0 critical or blocking adoption.',
      labelNames: ['model'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const m of s.models) this.set({ model: m.modelId }, m.health);
      },
    });
    new Gauge({
      name: 'fulcrum_models_blocking_adoption',
      help: 'Models whose open incidents block adoption (drives the recommended reliability share).',
      registers,
      async collect() {
        const s = await read();
        this.set(s.allocation.recommended.blockingModels);
      },
    });
    new Gauge({
      name: 'fulcrum_reliability_oldest_unaddressed_critical_age_seconds',
      help: 'Age of the oldest open critical reliability item nobody has committed to (0 when none).',
      registers,
      async collect() {
        const s = await read();
        this.set(s.oldest ? Math.max(0, (Date.now() - Date.parse(s.oldest.createdAt)) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'fulcrum_ceremony_last_closed_timestamp_seconds',
      help: 'When the last joint prioritization ceremony closed (Unix seconds; absent before the first). Days since = (time() - this) / 86400.',
      registers,
      async collect() {
        const s = await read();
        this.reset();
        if (s.allocation.lastCeremonyClosedAt)
          this.set(Date.parse(s.allocation.lastCeremonyClosedAt) / 1000);
      },
    });
  }
}

type Snapshot = Awaited<ReturnType<typeof load>>;

async function load(queries: ReadModelQueries) {
  const [allocation, items, models, oldest] = await Promise.all([
    queries.allocation(),
    queries.itemsByStatus(),
    queries.models(),
    queries.oldestUnaddressedCritical(),
  ]);
  return { allocation, items, models, oldest };
}

/** Percent → ratio without binary float noise (42.47 % is 0.4247, not 0.42469999999999997). */
export function ratio(percent: number): number {
  return Number((percent / 100).toFixed(6));
}
