import { Inject, Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** Counters of the backlog's own work; the allocation gauges live in AllocationGauges. */
@Injectable()
export class BacklogMetrics {
  readonly commands: Counter<'command' | 'outcome'>;
  readonly poisonedEvents: Counter;
  readonly rebuilds: Counter;
  readonly reliabilityEvents: Counter<'outcome'>;
  readonly modelStatuses: Counter<'outcome'>;

  constructor(@Inject(Registry) registry: Registry) {
    const registers = [registry];
    this.commands = new Counter({
      name: 'fulcrum_backlog_commands_total',
      help: 'Commands handled, by command and outcome (ok, replayed, conflict, rejected, unavailable).',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.poisonedEvents = new Counter({
      name: 'fulcrum_backlog_projection_poisoned_events_total',
      help: 'Events a projection could not apply and dead-lettered.',
      registers,
    });
    this.rebuilds = new Counter({
      name: 'fulcrum_backlog_projection_rebuilds_total',
      help: 'Projection rebuilds run.',
      registers,
    });
    this.reliabilityEvents = new Counter({
      name: 'fulcrum_backlog_reliability_events_total',
      help: 'Reliability events consumed, by outcome (applied, duplicate, parked).',
      labelNames: ['outcome'],
      registers,
    });
    this.modelStatuses = new Counter({
      name: 'fulcrum_backlog_model_statuses_total',
      help: 'Model-status records consumed, by outcome (applied, duplicate, parked).',
      labelNames: ['outcome'],
      registers,
    });
  }
}
