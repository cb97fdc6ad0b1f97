import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';

/** The service's readiness checks (a `HealthIndicatorFunction[]`), provided by its app module. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface Readiness {
  ready: boolean;
  reason?: string;
}

/** A readiness check from a synchronous status: up, or down with its reason. */
export function readinessCheck(
  indicators: HealthIndicatorService,
  key: string,
  status: () => Readiness,
): HealthIndicatorFunction {
  return () => {
    const indicator = indicators.check(key);
    const { ready, reason } = status();
    return ready ? indicator.up() : indicator.down({ reason });
  };
}

/**
 * `/health/live`: the process answers. `/health` and `/health/ready`: every readiness check of the
 * service passes (terminus answers 503 with the failing ones otherwise).
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: HealthIndicatorFunction[],
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up()]);
  }

  @Get(['', 'ready'])
  @HealthCheck()
  ready() {
    return this.health.check(this.checks);
  }
}
