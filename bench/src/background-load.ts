/**
 * Background telemetry at a fixed rate, sent from a worker thread: a benchmark that times
 * deliveries in its own event loop must not share it with a producer encoding thousands of records
 * every tick. In the latency benchmark the reader shared it, and the time from the broker appending
 * an event to the reader seeing it was 30–60 ms at the median and up to 280 ms.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { produceInSlices } from '@fulcrum/platform';
import { kafka, sleep } from './bench-kit';
import { predictionMessages } from './telemetry-load';

export interface LoadSpec {
  topic: string;
  /** Records a second. */
  rate: number;
  /** How long the pre-generated load lasts at that rate, if not stopped before. */
  seconds: number;
  models: number;
  t0: number;
  seed: number;
}

export interface BackgroundLoad {
  /** Stops sending (after the tick in flight): the records sent, and their rate while sending. */
  stop(): Promise<{ sent: number; rate: number }>;
}

/** Starts the load; resolves once the worker is connected and has begun sending. */
export async function startBackgroundLoad(spec: LoadSpec): Promise<BackgroundLoad> {
  const worker = new Worker(__filename, { workerData: spec });
  const finished = new Promise<{ sent: number; rate: number }>((resolve, reject) => {
    worker.on('message', (m: { sent?: number; rate?: number }) => {
      if (m.sent !== undefined) resolve({ sent: m.sent, rate: m.rate ?? 0 });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`background load exited with ${code}`)));
  });
  // A worker that fails while the breaches are sent is reported by stop(), not as an unhandled rejection.
  finished.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { started?: boolean }) => m.started && resolve());
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const result = await finished;
      await worker.terminate();
      return result;
    },
  };
}

async function run(spec: LoadSpec): Promise<void> {
  // Pre-generated, so the worker spends its CPU sending, not serializing.
  const load = predictionMessages(
    Math.ceil(spec.rate * spec.seconds),
    spec.models,
    spec.t0,
    spec.seed,
  );
  let running = true;
  parentPort!.on('message', (m) => m === 'stop' && (running = false));
  const producer = kafka.producer();
  await producer.connect();
  parentPort!.postMessage({ started: true });
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((spec.rate * tickMs) / 1000));
  const started = Date.now();
  let i = 0;
  // Paced on the clock: tick k sends what is due by its end, and a send slower than a tick is made
  // up by the next ones (up to three ticks' worth at a time), so the rate reported is the rate
  // asked for unless the producer cannot reach it — and then the report says so.
  for (let tick = 0; running && i < load.length; tick++) {
    const n = Math.min(perTick * (tick + 1) - i, 3 * perTick, load.length - i);
    if (n > 0) {
      // In slices: at a high rate three ticks' worth for one partition can pass the broker's
      // 1 MiB batch limit, which it refuses outright (MESSAGE_TOO_LARGE).
      await produceInSlices(producer, spec.topic, load.slice(i, i + n));
      i += n;
    }
    await sleep(Math.max(0, started + (tick + 1) * tickMs - Date.now()));
  }
  const sent = Math.min(i, load.length);
  const rate = Math.round(sent / ((Date.now() - started) / 1000));
  await producer.disconnect();
  parentPort!.postMessage({ sent, rate });
}

if (!isMainThread && (workerData as LoadSpec | undefined)?.topic) void run(workerData as LoadSpec);
