import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  MongooseHealthIndicator,
} from '@nestjs/terminus';
import { KafkaConsumerHealth } from './kafka-consumer.health';

/** `/health` and `/health/ready`: MongoDB answers ping and the Kafka consumer is in its group. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly kafka: KafkaConsumerHealth,
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
      () => this.mongo.pingCheck('mongodb', { timeout: 1500 }),
      () => {
        const indicator = this.indicators.check('kafka');
        const status = this.kafka.status();
        return status.ready ? indicator.up() : indicator.down({ reason: status.reason });
      },
    ]);
  }
}
