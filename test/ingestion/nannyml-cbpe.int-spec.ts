import type { INestApplication } from '@nestjs/common';
import type { ModelStatus, ReliabilityEvent, TopicNames } from '@fulcrum/contracts';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  committedCount,
  freshTopics,
  parseValues,
  produceTelemetry,
  readAll,
  waitFor,
} from '../support/kafka-test-kit';
import { NANNYML, nannymlTelemetry } from '../support/nannyml-telemetry';

/**
 * NannyML's CBPE against the running service: its synthetic work-from-home dataset's analysis
 * chunks (5,000 rows each) produced to Kafka as one hour of event time each — one model as 50,000
 * scored predictions, one as 5-minute windows with score histograms — with the reference as the
 * baseline's calibration and labels 6 h late. Read back from the model-status and reliability
 * topics: |Fulcrum − NannyML| ≤ 0.001 per chunk, realized accuracy inside Fulcrum's bounds in ≥ 9
 * of 10, and the estimated incident open hours before the realized one.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 0, 0);

describe('estimated accuracy vs NannyML CBPE, through Kafka', () => {
  let topics: TopicNames;
  let app: INestApplication;
  let groupId: string;
  let produced = 0;

  beforeAll(async () => {
    topics = await freshTopics();
    ({
      app,
      config: { groupId },
    } = await startIngestion(topics, {
      rules: {
        defaults: {
          accuracy: {
            warningBelow: 0.93,
            criticalBelow: 0.9,
            resolveAtOrAbove: 0.94,
            minLabeled: 5000,
          },
          accuracyEstimate: { minPredictions: 5000 },
          stale: { enabled: false },
        },
      },
    }));
    for (const [modelId, form] of [
      ['wfh-rows', 'predictions'],
      ['wfh-windows', 'windows'],
    ] as const) {
      const records = nannymlTelemetry({ modelId, t0: T0, form, labelDelayMs: 6 * HOUR });
      await produceTelemetry(topics.telemetry, records);
      produced += records.length;
    }
    await waitFor(
      'every record committed',
      async () => (await committedCount(groupId, topics.telemetry)) === produced,
      180_000,
    );
  }, 240_000);
  afterAll(async () => {
    await app.close();
    await closeTestProducer();
  });

  it.each(['wfh-rows', 'wfh-windows'])(
    '%s: every chunk within 0.001 of NannyML',
    async (modelId) => {
      const statuses = parseValues<ModelStatus>(
        (await readAll(topics.modelStatus)).filter((m) => m.key === modelId),
      );
      let inside = 0;
      for (const chunk of NANNYML.chunks) {
        const at = new Date(T0 + (chunk.index + 1) * HOUR).toISOString();
        const e = statuses.find((s) => s.at === at)?.estimatedAccuracy;
        expect(e?.predictions).toBe(NANNYML.chunkSize);
        expect(Math.abs(e!.value - chunk.estimated)).toBeLessThanOrEqual(0.001);
        if (chunk.realized >= e!.lower && chunk.realized <= e!.upper) inside++;
      }
      expect(inside).toBeGreaterThanOrEqual(9);
    },
  );

  it('opens accuracy_estimated hours before accuracy, and the labels confirm it', async () => {
    const events = parseValues<ReliabilityEvent>(
      (await readAll(topics.reliabilityEvents)).filter((m) => m.key === 'wfh-rows'),
    );
    const estimated = events.find((e) => e.type === 'accuracy_estimated.opened')!;
    const realized = events.find((e) => e.type === 'accuracy.opened')!;
    expect(estimated.evidence).toMatchObject({ basis: 'estimated' });
    expect(Date.parse(realized.eventTime) - Date.parse(estimated.eventTime)).toBeGreaterThanOrEqual(
      5 * HOUR,
    );
    expect(
      events.find(
        (e) => e.incidentId === estimated.incidentId && e.evidence.confirmation === 'confirmed',
      ),
    ).toBeTruthy();
  });
});
