/**
 * Telemetry simulator: streams realistic synthetic telemetry for several models to the telemetry
 * topic, in accelerated event time, and makes one model (fraud-scorer) degrade after a while.
 * Every record is validated against the shared contract before it is sent.
 *
 *   FULCRUM_SIM_SPEEDUP           simulated seconds per real second (default 60)
 *   FULCRUM_SIM_RATE_PER_MIN      predictions per model per simulated minute (default 30)
 *   FULCRUM_SIM_DURATION_SECONDS  stop after this many real seconds (default: run until SIGTERM)
 *   FULCRUM_SIM_HISTORY_HOURS     event time starts this far in the past (default 48)
 *   FULCRUM_SIM_BACKLOG_URL       with FULCRUM_SIM_API_KEY (an editor key): the backlog the models'
 *                                 profiles are PUT to at start (tiers, value per request)
 *
 * Accelerated event time starts in the past and never runs ahead of the wall clock: once it
 * catches up it continues in real time, since metrics-ingestion refuses records from the future.
 * On a second start against the same servers the models' state (their event-time watermarks) was
 * restored from the last run, so starting 48 h back again would only produce late records: with a
 * backlog to ask, the simulator continues from where the models are instead.
 */
import { createKafka, createLogger, EnvReader } from '@fulcrum/platform';
import { TelemetryValidator, topicNamesFromEnv, type TelemetryRecord } from '@fulcrum/contracts';
import { DEFAULT_PROFILES, SyntheticModel } from './synthetic-model';

async function main(): Promise<void> {
  const env = new EnvReader();
  const brokers = env.brokers('FULCRUM_KAFKA_BROKERS', ['127.0.0.1:9092']);
  const speedup = env.int('FULCRUM_SIM_SPEEDUP', 60, 1, 3600);
  const ratePerMin = env.int('FULCRUM_SIM_RATE_PER_MIN', 30, 1, 100000);
  const duration = env.int('FULCRUM_SIM_DURATION_SECONDS', 0, 0, 86400 * 30);
  const seed = env.int('FULCRUM_SIM_SEED', 42, 0, 2 ** 31);
  const historyHours = env.int('FULCRUM_SIM_HISTORY_HOURS', 48, 0, 24 * 365);
  const logLevel = env.logLevel();
  const backlogUrl = env.string('FULCRUM_SIM_BACKLOG_URL', '', /^(https?:\/\/[\w.:-]+)?$/);
  const apiKey = env.string('FULCRUM_SIM_API_KEY', '', /^[\w-]{0,128}$/);
  env.done();

  const logger = createLogger('simulator', logLevel);
  const topic = topicNamesFromEnv().telemetry;
  const producer = createKafka({ clientId: 'fulcrum-simulator', brokers, logger }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const validator = new TelemetryValidator();
  const realStart = Date.now();
  let simStart = realStart - historyHours * 3_600_000;
  if (backlogUrl && apiKey) {
    const resume = await resumePoint(backlogUrl, apiKey);
    if (resume !== null && resume > simStart) {
      simStart = Math.min(resume, realStart);
      logger.warn(
        { continueFrom: new Date(simStart).toISOString() },
        'the models already have telemetry up to this event time (state restored from the last run): continuing from there; for a clean slate stop everything and remove .infra/data',
      );
    }
  }
  const models = DEFAULT_PROFILES.map((p, i) => new SyntheticModel(p, seed + i, simStart));
  let eventTime = simStart;
  let sent = 0;
  let running = true;
  const stop = () => (running = false);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const send = async (records: TelemetryRecord[]) => {
    for (const r of records) {
      const check = validator.validate(r);
      if (!check.ok)
        throw new Error(`simulator produced an invalid record: ${check.rejection.message}`);
    }
    if (records.length)
      await producer.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.modelId, value: JSON.stringify(r) })),
      });
    sent += records.length;
  };

  if (backlogUrl && apiKey) await putProfiles(backlogUrl, apiKey, logger);
  await send(models.map((m) => m.baselineRecord(eventTime)));
  const tickMs = 250;
  let lastLog = 0;
  while (running && (duration === 0 || Date.now() - realStart < duration * 1000)) {
    const tickStart = Date.now();
    const simulatedMs = Math.max(0, Math.min(tickMs * speedup, Date.now() - eventTime));
    const perModel = (ratePerMin * simulatedMs) / 60_000;
    const records: TelemetryRecord[] = [];
    for (const m of models) {
      const n = Math.floor(perModel) + (Math.random() < perModel % 1 ? 1 : 0);
      for (let i = 0; i < n; i++)
        records.push(
          m.predictionRecord(eventTime + Math.floor((i * simulatedMs) / Math.max(n, 1))),
        );
      const q = m.qualityRecord(eventTime, 5 * 60_000);
      if (q) records.push(q);
    }
    await send(records);
    eventTime += simulatedMs;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      logger.info(
        {
          sent,
          eventTime: new Date(eventTime).toISOString(),
          degradation: models.map((m) => ({
            model: m.profile.modelId,
            severity: Math.round(m.severity(eventTime) * 100) / 100,
          })),
        },
        'simulator progress',
      );
    }
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - tickStart))));
  }
  await producer.disconnect();
  logger.info({ sent }, 'simulator stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `simulator failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/**
 * Where the simulated models are in event time, from the backlog's model list: a status at
 * boundary `at` means the model's watermark may already be up to 5 minutes plus the allowed
 * lateness (2 min) past it, and records older than that watermark minus the lateness would be
 * counted late — so the simulation continues 7 minutes after the latest boundary. Null when no
 * simulated model has a status yet (a clean slate) or the backlog does not answer.
 */
async function resumePoint(backlogUrl: string, apiKey: string): Promise<number | null> {
  const ids = new Set(DEFAULT_PROFILES.map((p) => p.modelId));
  const res = await fetch(`${backlogUrl}/api/v1/models`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  }).catch(() => null);
  if (!res?.ok) return null;
  const body = (await res.json()) as {
    items?: { modelId: string; status: { at: string } | null }[];
  };
  const latest = Math.max(
    ...(body.items ?? [])
      .filter((m) => ids.has(m.modelId) && m.status)
      .map((m) => Date.parse(m.status!.at)),
  );
  return Number.isFinite(latest) ? latest + 7 * 60_000 : null;
}

/** States each profiled model's tier and value, as a team would through the API. */
async function putProfiles(
  backlogUrl: string,
  apiKey: string,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  for (const p of DEFAULT_PROFILES) {
    if (!p.business) continue;
    const res = await fetch(`${backlogUrl}/api/v1/models/${p.modelId}/profile`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        ...p.business,
        interaction: p.interaction,
        expectedAccuracy: p.accuracy,
        expectedLabelDelayHours: 1,
        retrainingCadenceDays: 30,
        upstream: [
          { name: `${p.modelId}-features`, kind: 'feature-store', owner: p.business.ownerTeam },
        ],
        downstream: [],
      }),
    });
    logger.info({ model: p.modelId, status: res.status }, 'profile set');
  }
}
