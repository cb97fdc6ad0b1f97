import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { KafkaConsumerHealth, type KafkaIntakeServer } from './kafka-consumer.health';

/** A stand-in for the Nest Kafka server: its status stream and a consumer that emits kafkajs events. */
function intake() {
  const status = new Subject<string>();
  const consumer = Object.assign(new EventEmitter(), {
    events: { GROUP_JOIN: 'consumer.group_join' },
  });
  const server: KafkaIntakeServer = {
    status: status.asObservable(),
    unwrap: <T>() => [{}, consumer, {}] as T,
  };
  return { status, consumer, server };
}

describe('Kafka intake readiness', () => {
  it('given a connected consumer, it is not ready until the consumer has joined its group', () => {
    const { status, consumer, server } = intake();
    const health = new KafkaConsumerHealth();
    health.track(server);
    status.next('connected');
    expect(health.status()).toEqual({ ready: false, reason: 'joining its consumer group' });
    consumer.emit('consumer.group_join');
    expect(health.status()).toEqual({ ready: true });
  });

  it('given a rebalance, it is ready again when the consumer rejoins (Nest says "connected" only once)', () => {
    const { status, consumer, server } = intake();
    const health = new KafkaConsumerHealth();
    health.track(server);
    status.next('connected');
    consumer.emit('consumer.group_join');
    status.next('rebalancing');
    expect(health.status()).toEqual({ ready: false, reason: 'rebalancing' });
    consumer.emit('consumer.group_join');
    expect(health.status()).toEqual({ ready: true });
  });

  it('given a crash, it is not ready; when consumption is disabled, it is always ready', () => {
    const { status, consumer, server } = intake();
    const health = new KafkaConsumerHealth();
    health.track(server);
    status.next('connected');
    consumer.emit('consumer.group_join');
    status.next('crashed');
    expect(health.status()).toEqual({ ready: false, reason: 'crashed' });
    const off = new KafkaConsumerHealth();
    off.disable();
    expect(off.status()).toEqual({ ready: true });
  });
});

describe('Kafka intake readiness with two intakes (reliability events, model status)', () => {
  it('given one intake joined, it is not ready until the other has joined too, and says which', () => {
    const events = intake();
    const statuses = intake();
    const health = new KafkaConsumerHealth();
    health.track(events.server, 'reliability events');
    health.track(statuses.server, 'model status');
    events.status.next('connected');
    statuses.status.next('connected');
    events.consumer.emit('consumer.group_join');
    expect(health.status()).toEqual({
      ready: false,
      reason: 'model status: joining its consumer group',
    });
    statuses.consumer.emit('consumer.group_join');
    expect(health.status()).toEqual({ ready: true });
    events.status.next('rebalancing');
    expect(health.status()).toEqual({ ready: false, reason: 'reliability events: rebalancing' });
  });
});
