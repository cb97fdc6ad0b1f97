import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { TelemetryPipeline } from '../telemetry/telemetry-pipeline';

/** `/health` and `/health/ready`: Kafka producer connected and consumer group joined; `/health/live`: the process answers. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly pipeline: TelemetryPipeline,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  @Get(['', 'ready'])
  @HealthCheck()
  ready() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('kafka');
        const { ready, reason } = this.pipeline.readiness();
        return ready ? indicator.up() : indicator.down({ reason });
      },
    ]);
  }
}
