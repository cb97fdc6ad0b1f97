/**
 * The ceremony brief with a real amount of data: 200 models × 14 days of hourly statuses and 300
 * open reliability items, all through the backlog's own intakes (the model-status and reliability
 * topics) and its API (profiles, a ceremony) — then the page opened in headless chromium at
 * 1366 × 768, five times, timed until the first screen's figures are drawn and until the first
 * charts are. Baseline in the same run: the brief's API answer as the page asks for it (no trends:
 * the charts shown read theirs next) against the whole brief (every model's trend), time and size.
 *   node -r ./scripts/register-paths.js dist/bench/src/brief-render.js
 */
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { topicEnv } from '@fulcrum/contracts';
import { createTopics, median, sleep, startBacklog, uniqueName } from './bench-kit';
import { ADMIN_KEY, round, SMALL, type Figure } from './figure';
import { applied, openedEvent, produce, statusOf } from './status-burst';

const MODELS = Number(process.env.BENCH_BRIEF_MODELS ?? (SMALL ? 40 : 200));
const DAYS = SMALL ? 3 : 14;
const ITEMS = Math.min(300, MODELS * 2);
const T0 = Date.parse('2026-06-01T00:00:00.000Z');
const HOUR = 3_600_000;
const TEAMS = ['risk-ml', 'growth', 'search', 'ads', 'support'];

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Hourly statuses of every model, hour by hour (event order), values varying per model and hour. */
function hourlyStatuses(ids: string[]): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (let h = 0; h < DAYS * 24; h++) {
    const at = new Date(T0 + h * HOUR).toISOString();
    ids.forEach((id, m) => {
      // A few hours without a status per model: the charts' gaps.
      if ((h + m) % 97 === 0) return;
      const s = statusOf(id, at);
      const decay = m % 5 === 0 ? Math.max(0, h - 200) / 2000 : 0;
      s.accuracy = {
        value: round(0.93 - decay - ((h * 7 + m) % 11) / 1000),
        labeled: 400,
        labelLagSeconds: 600,
      };
      s.lastHour.errorRatio = m % 7 === 0 && h > 300 ? 0.02 : ((h + m) % 5) / 1000;
      s.drift.maxScore = round((((h + 3 * m) % 13) / 100) * (m % 3 === 0 ? 2 : 1));
      out.push({ key: id, value: JSON.stringify(s) });
    });
  }
  return out;
}

/**
 * BENCH_BRIEF_DATABASE=<name> re-measures on a database an earlier run seeded (seeding takes
 * minutes: 67,000 statuses through the intake); the page and the API are measured the same way.
 */
const REUSE = process.env.BENCH_BRIEF_DATABASE;

async function seed(
  base: string,
  ids: string[],
  topics: { modelStatus: string; reliabilityEvents: string },
  log: (line: string) => void,
): Promise<void> {
  // Profiles first: value at risk and the team / tier filters need them.
  for (const [m, id] of ids.entries())
    await call(base, 'PUT', `/api/v1/models/${id}/profile`, {
      ownerTeam: TEAMS[m % TEAMS.length],
      tier: (m % 3) + 1,
      kpi: 'conversion',
      valuePerRequest: round(0.001 + (m % 17) / 100),
      interaction: 'realtime',
      expectedAccuracy: 0.9,
      expectedLabelDelayHours: 24,
      retrainingCadenceDays: 30,
      upstream: [{ name: 'events', kind: 'kafka-topic', owner: 'platform' }],
      downstream: [],
    });
  const statuses = hourlyStatuses(ids);
  let started = Date.now();
  await produce(topics.modelStatus, statuses);
  while ((await applied(base, 'fulcrum_backlog_model_statuses_total')) < statuses.length)
    await sleep(1000);
  log(`${statuses.length} hourly statuses applied in ${round((Date.now() - started) / 1000)} s`);
  // 300 open items: two incidents on each of the first 150 models (error budget, drift).
  started = Date.now();
  const events = ids.slice(0, ITEMS / 2).flatMap((id) => {
    const budget = openedEvent(id);
    const drift = openedEvent(id);
    drift.rule = 'feature_drift';
    drift.type = 'feature_drift.opened';
    drift.incidentId = randomUUID();
    drift.eventId = randomUUID();
    return [budget, drift].map((e) => ({ key: id, value: JSON.stringify(e) }));
  });
  await produce(topics.reliabilityEvents, events);
  while ((await applied(base, 'fulcrum_backlog_reliability_events_total')) < events.length)
    await sleep(500);
  log(`${events.length} incidents applied in ${round((Date.now() - started) / 1000)} s`);
}

export async function briefRender(log: (line: string) => void = console.error): Promise<Figure[]> {
  const topics = await createTopics('brief');
  const database = REUSE ?? uniqueName('fulcrum_brief');
  log(`database ${database}`);
  const backlog = await startBacklog(database, {
    ...topicEnv(topics),
    FULCRUM_BACKLOG_CONSUME_EVENTS: 'true',
    FULCRUM_BACKLOG_GROUP_ID: `brief-${randomUUID().slice(0, 8)}`,
  });
  const browser = await chromium.launch({
    executablePath: process.env.FULCRUM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const base = backlog.base;
    const ids = Array.from(
      { length: MODELS },
      (_, i) => `brief-model-${String(i).padStart(3, '0')}`,
    );
    if (!REUSE) await seed(base, ids, topics, log);
    const existing = (await call(base, 'GET', '/api/v1/ceremonies')) as {
      items: { ceremonyId: string; status: string }[];
    };
    let ceremonyId = existing.items.find((c) => c.status === 'open')?.ceremonyId;
    if (!ceremonyId) {
      ({ ceremonyId } = (await call(base, 'POST', '/api/v1/ceremonies', {
        title: 'Sprint at scale',
        scheduledFor: new Date(T0 + DAYS * 24 * HOUR).toISOString(),
      })) as { ceremonyId: string });
      await call(base, 'POST', `/api/v1/ceremonies/${ceremonyId}/open`);
    }

    const answer = async (query: string) => {
      const t = Date.now();
      const res = await fetch(`${base}/api/v1/ceremonies/${ceremonyId}/brief${query}`, {
        headers: { 'X-API-Key': ADMIN_KEY },
      });
      const bytes = (await res.arrayBuffer()).byteLength;
      return { ms: Date.now() - t, bytes };
    };
    const bounded: { ms: number; bytes: number }[] = [];
    const whole: { ms: number; bytes: number }[] = [];
    for (let r = 0; r < 5; r++) {
      bounded.push(await answer('?trends=0'));
      whole.push(await answer('?trends=200'));
    }

    const firstScreen: number[] = [];
    const charts: number[] = [];
    for (let r = 0; r < 5; r++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.addInitScript(
        `sessionStorage.setItem('fulcrum.apiKey', ${JSON.stringify(ADMIN_KEY)})`,
      );
      await page.goto(`${base}/brief/${ceremonyId}`, { waitUntil: 'commit' });
      await page.waitForSelector('ul.tiles li');
      firstScreen.push(await page.evaluate<number>('performance.now()'));
      await page.locator('svg.trend').nth(5).waitFor();
      charts.push(await page.evaluate<number>('performance.now()'));
      await page.close();
    }
    log(
      `first screen (ms from navigation): ${firstScreen.map(round).join(', ')}; charts: ${charts.map(round).join(', ')}`,
    );
    const fs = median(firstScreen) / 1000;
    const b = median(bounded.map((x) => x.ms));
    const w = median(whole.map((x) => x.ms));
    return [
      {
        name: `brief first screen in headless chromium: ${MODELS} models × ${DAYS} days hourly, ${ITEMS} open items`,
        value: round(fs),
        unit: 's',
        baseline: {
          name: 'the whole brief (every model’s trend, ?trends=200) read by a plain HTTP client',
          value: round(w / 1000),
          unit: 's',
        },
        ratio: round(fs / (w / 1000)),
        target: '< 1.5 s at 1366 × 768',
        met: fs < 1.5,
        runs: firstScreen.map((v) => round(v / 1000)),
        notes: `navigation to the first screen's figures drawn, five fresh pages (chromium ${browser.version()}); the first six charts drawn after ${firstScreen.length ? round(median(charts) / 1000) : 0} s (median). The brief as the page reads it (?trends=0: the charts shown read their trends after the first screen): ${b} ms, ${round(bounded[0].bytes / 1024)} KiB; the whole brief: ${w} ms, ${round(whole[0].bytes / 1024)} KiB (medians of 5)`,
      },
    ];
  } finally {
    await browser.close();
    await backlog.stop();
  }
}

if (require.main === module)
  void briefRender(console.error).then((f) => console.log(JSON.stringify(f, null, 2)));
