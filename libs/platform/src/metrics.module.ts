import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller';

const NON_COUNTER_TOTALS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * A Registry per application instance: tests build several apps in one process, and prom-client's
 * global registry throws when the same metric is registered twice.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        // prom-client's totals of active handles / requests / resources are gauges named like
        // counters, which `promtool check metrics` rejects; the per-type gauges beside them
        // (nodejs_active_handles{type=…}) carry the same numbers.
        for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);
        return registry;
      },
    },
  ],
  exports: [Registry],
})
export class MetricsModule {}
