/**
 * Sends a model's baseline from a reference file: its features binned the way Fulcrum bins (upper
 * edges inclusive, quantile edges as ingestion's own reference), and with --score, --predicted and
 * --label the calibration section the accuracy estimate needs. Validated against the telemetry
 * contract, then produced to the telemetry topic (key = modelId), or printed with --dry-run.
 *
 *   npm run reference -- FILE --model ID [--version V] [--score COL --predicted COL --label COL]
 *                        [--features a,b] [--ignore c,d] [--bins 10] [--score-bins 100]
 *                        [--event-time ISO] [--dry-run]
 *
 * FILE is CSV (header row) or Parquet (by extension). Kafka: FULCRUM_KAFKA_BROKERS (default
 * 127.0.0.1:9092), topic FULCRUM_TOPIC_TELEMETRY (default fulcrum.telemetry.v1).
 */
import { parseArgs } from 'node:util';
import { createKafka, createLogger, EnvReader } from '@fulcrum/platform';
import { MAX_SCORE_BINS, TelemetryValidator, topicNamesFromEnv } from '@fulcrum/contracts';
import { baselineFromRows, ReferenceFileError } from './reference-baseline';
import { readReferenceFile } from './read-reference-file';

const USAGE =
  'usage: npm run reference -- FILE --model ID [--version V] [--score COL --predicted COL --label COL] [--features a,b] [--ignore c,d] [--bins 10] [--score-bins 100] [--event-time ISO] [--dry-run]';

function integer(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ReferenceFileError(`--${name} must be an integer ${min}..${max}; got ${text}`);
  return n;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      version: { type: 'string', default: 'v1' },
      score: { type: 'string' },
      predicted: { type: 'string' },
      label: { type: 'string' },
      features: { type: 'string' },
      ignore: { type: 'string' },
      bins: { type: 'string', default: '10' },
      'score-bins': { type: 'string', default: '100' },
      'event-time': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1 || !values.model) throw new ReferenceFileError(USAGE);
  const eventTime = values['event-time'] ?? new Date().toISOString();
  const record = baselineFromRows(await readReferenceFile(positionals[0]), {
    modelId: values.model,
    modelVersion: values.version,
    eventTime,
    score: values.score,
    predicted: values.predicted,
    label: values.label,
    features: values.features?.split(',').map((s) => s.trim()),
    ignore: values.ignore?.split(',').map((s) => s.trim()),
    bins: integer(values.bins, 'bins', 2, 64),
    scoreBins: integer(values['score-bins'], 'score-bins', 2, MAX_SCORE_BINS),
  });
  const check = new TelemetryValidator().validate(record);
  if (!check.ok)
    throw new ReferenceFileError(
      `the baseline does not meet the telemetry contract at ${check.rejection.field}: ${check.rejection.message}`,
    );
  if (values['dry-run']) {
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return 0;
  }
  const env = new EnvReader();
  const brokers = env.brokers('FULCRUM_KAFKA_BROKERS', ['127.0.0.1:9092']);
  env.done();
  const logger = createLogger('reference-file', 'warn');
  const topic = topicNamesFromEnv().telemetry;
  const producer = createKafka({ clientId: 'fulcrum-reference-file', brokers, logger }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: record.modelId, value: JSON.stringify(record) }],
    });
  } finally {
    await producer.disconnect();
  }
  const summary = {
    sent: topic,
    modelId: record.modelId,
    modelVersion: record.modelVersion,
    features: Object.keys(record.features).length,
    calibrationBins: record.calibration ? record.calibration.counts.length : 0,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ReferenceFileError ? error.message : (error as Error).stack}\n`,
    );
    process.exit(error instanceof ReferenceFileError ? 2 : 1);
  },
);
