import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';

/** Prometheus exposition of the app's own registry (never prom-client's global one). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  /**
   * `?name[]=a&name[]=b` returns only those metric families, as the Prometheus Java client does:
   * per-model gauges make a full scrape cost milliseconds, which a tight progress poll should not pay.
   */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Query() query: Record<string, unknown>): Promise<string> {
    // Express 5's simple parser keeps `name[]` as the key; an extended parser folds it into `name`.
    const names = query['name[]'] ?? query.name;
    if (names === undefined) return this.registry.metrics();
    const wanted = (Array.isArray(names) ? (names as unknown[]) : [names]).filter(
      (n): n is string => typeof n === 'string' && this.registry.getSingleMetric(n) !== undefined,
    );
    const parts = await Promise.all(wanted.map((n) => this.registry.getSingleMetricAsString(n)));
    return parts.map((p) => `${p}\n`).join('');
  }
}
