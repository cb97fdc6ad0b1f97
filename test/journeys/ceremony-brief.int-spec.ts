import type { INestApplication } from '@nestjs/common';
import type { MongoClient } from 'mongodb';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { window as windowRecord } from '@fulcrum/testing';
import type { ModelStatus } from '@fulcrum/contracts';
import { KEYS, startBacklog } from '../support/backlog-app';
import { startIngestion } from '../support/ingestion-app';
import {
  closeTestProducer,
  freshTopics,
  produceTelemetry,
  reliabilityTopic,
  waitFor,
} from '../support/kafka-test-kit';

/**
 * The ceremony brief in a real browser (Debian's chromium driven by playwright-core): a product
 * lead signs in with a key, reads the brief of a scripted scenario — every figure checked against
 * the API — records a decision, sets the allocation and closes the ceremony from the page; axe-core
 * finds no violation of any impact on the sign-in form, the editor's and the viewer's views, a refusal
 * shown in place and the closed ceremony; the console stays clean.
 * The first screen at 1366 × 768, the page at 390 / 768 / 1366 px (no horizontal overflow, no axe
 * violation at each), filters, a chart's table form and a decision made by keyboard alone.
 * FULCRUM_BRIEF_SCREENSHOTS=<dir> keeps the screenshots (docs/brief-*.png were made so:
 * FULCRUM_BRIEF_SCREENSHOTS=docs).
 */
const shots = process.env.FULCRUM_BRIEF_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'brief-'));
const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1);
const editor = { 'X-API-Key': KEYS.editor };
const money = (v: number | null) =>
  v === null ? 'not estimated' : `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} EUR`;

function traffic(modelId: string, from: number, to: number, errors: number) {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return windowRecord(modelId, T0 + i * 5 * MIN, T0 + (i + 1) * 5 * MIN, {
      count: 1000,
      errors: i >= 24 ? errors : 0,
    });
  });
}

describe('journey: the ceremony brief in a real browser', () => {
  let backlog: INestApplication;
  let ingestion: INestApplication;
  let client: MongoClient;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const topics = {
      ...(await freshTopics(3)),
      reliabilityEvents: await reliabilityTopic(),
      modelStatus: process.env.FULCRUM_TOPIC_MODEL_STATUS!,
    };
    ({ app: ingestion } = await startIngestion(topics));
    ({ app: backlog, client } = await startBacklog({ consume: true }));
    base = await backlog.getUrl();
    browser = await chromium.launch({
      executablePath: process.env.FULCRUM_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const http = request(backlog.getHttpServer());
    for (const [model, tier, value] of [
      ['brief-checkout', 1, 0.4],
      ['brief-reports', 3, 0.002],
    ] as const)
      await http
        .put(`/api/v1/models/${model}/profile`)
        .set(editor)
        .send({
          ownerTeam: 'risk-ml',
          tier,
          kpi: 'conversion',
          valuePerRequest: value,
          interaction: 'realtime',
          expectedAccuracy: 0.9,
          expectedLabelDelayHours: 24,
          retrainingCadenceDays: 30,
          upstream: [{ name: 'events', kind: 'kafka-topic', owner: 'platform' }],
          downstream: [],
        })
        .expect(201);
    await produceTelemetry(topics.telemetry, [
      ...traffic('brief-checkout', 0, 48, 200),
      ...traffic('brief-reports', 0, 48, 200),
    ]);
    await waitFor('both models with their incident and latest status', async () => {
      const ms = (await http.get('/api/v1/models').set(editor)).body.items as {
        modelId: string;
        openIncidents: unknown[];
        status: ModelStatus | null;
      }[];
      return ['brief-checkout', 'brief-reports'].every((id) =>
        ms?.some(
          (m) =>
            m.modelId === id &&
            m.openIncidents.length &&
            m.status?.at === '2026-06-01T03:55:00.000Z',
        ),
      );
    });
    // A previous ceremony, closed: its decisions are the brief's fifth part.
    const prev = (
      await http
        .post('/api/v1/ceremonies')
        .set(editor)
        .send({ title: 'Sprint 21', scheduledFor: '2026-05-18T09:00:00Z' })
    ).body.ceremonyId as string;
    await http.post(`/api/v1/ceremonies/${prev}/open`).set(editor).expect(200);
    const reportItem = (
      await http.get('/api/v1/items?model=brief-reports&quadrant=model-hygiene').set(editor)
    ).body.items[0].itemId;
    await http
      .post(`/api/v1/ceremonies/${prev}/decisions`)
      .set(editor)
      .send({ itemId: reportItem, decision: 'defer', rationale: 'internal report can wait' })
      .expect(200);
    await http
      .put(`/api/v1/ceremonies/${prev}/allocation`)
      .set(editor)
      .send({
        byBacklog: { capability: 70, reliability: 30 },
        byQuadrant: {
          'critical-feature': 60,
          innovation: 10,
          'model-hygiene': 30,
          'technical-debt': 0,
        },
        deviationRationale: 'launch month',
      })
      .expect(200);
    const closing = await http
      .post(`/api/v1/ceremonies/${prev}/close`)
      .set(editor)
      .send({ rationale: 'agreed' });
    expect({ status: closing.status, detail: closing.body.detail }).toEqual({
      status: 200,
      detail: undefined,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await ingestion?.close();
    await backlog?.close();
    await client?.close();
    await closeTestProducer();
  });

  /** What axe found on the sign-in form, each time a test signed in. */
  const signInViolations: string[] = [];

  async function signedIn(
    path: string,
    key: string,
    viewport = { width: 1366, height: 900 },
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}${path}`);
    await page.getByLabel('API key (viewer to read, editor to decide)').waitFor();
    signInViolations.push(...(await axeViolations(page)));
    await page.getByLabel('API key (viewer to read, editor to decide)').fill(key);
    await page.getByRole('button', { name: 'Show the brief' }).click();
    await page.locator('#brief').waitFor({ state: 'visible' });
    return { page, problems };
  }

  /**
   * axe-core's violations of every impact on the page as it stands, injected through the DevTools
   * protocol so the page's CSP (script-src 'self') stays as shipped.
   */
  async function axeViolations(page: Page): Promise<string[]> {
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    return page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: () => Promise<{
              violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
            }>;
          };
        }
      ).axe;
      const r = await axe.run();
      return r.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    });
  }

  /** Nothing wider than the screen: no table or chart cut off at the right edge. */
  async function fitsWidth(page: Page, width: number): Promise<void> {
    expect({
      width,
      scrollWidth: await page.evaluate<number>('document.documentElement.scrollWidth'),
    }).toEqual({
      width,
      scrollWidth: width,
    });
  }

  /** Phone, tablet, laptop: each runs a whole ceremony from the page. */
  const WIDTHS = [
    { width: 1366, height: 768 },
    { width: 768, height: 1024 },
    { width: 390, height: 844 },
  ];

  it.each(WIDTHS)(
    'shows the API’s figures, records a decision, sets the allocation and closes — from the page, $width px wide',
    async (viewport) => {
      const { width } = viewport;
      const http = request(backlog.getHttpServer());
      const title = `Sprint 22 at ${width} px`;
      const current = (
        await http
          .post('/api/v1/ceremonies')
          .set(editor)
          .send({ title, scheduledFor: '2026-06-01T09:00:00Z' })
      ).body.ceremonyId as string;
      const { page, problems } = await signedIn(`/brief/${current}`, KEYS.editor, viewport);
      // A scheduled ceremony is a state of its own.
      expect(await axeViolations(page)).toEqual([]);
      await fitsWidth(page, width);

      // Open it from the page (the brief of a scheduled ceremony offers that).
      await page.getByRole('button', { name: 'Open the ceremony' }).click();
      await page.getByText('Ceremony opened.').waitFor();

      // Every figure equals the API's.
      const brief = (await http.get(`/api/v1/ceremonies/${current}/brief`).set(editor).expect(200))
        .body;
      const models = (await http.get('/api/v1/models').set(editor)).body.items as {
        modelId: string;
        valueAtRisk: { perHour: number | null };
      }[];
      for (const m of models)
        expect(await page.locator(`[data-var="${m.modelId}"]`).textContent()).toBe(
          money(m.valueAtRisk.perHour),
        );
      for (const i of brief.valueAtRisk.items as { itemId: string; costOfDelay: number | null }[])
        expect(await page.locator(`[data-cod="${i.itemId}"]`).textContent()).toBe(
          money(i.costOfDelay),
        );
      const allocation = (await http.get('/api/v1/allocation').set(editor)).body;
      expect(await page.locator('[data-alloc="recommended"]').textContent()).toBe(
        String(allocation.recommended.reliabilityPercent),
      );
      const candidates: { itemId: string; priorityScore: number }[][] = Object.values(
        brief.candidates,
      );
      for (const list of candidates)
        for (const c of list)
          expect(await page.locator(`[data-priority="${c.itemId}"]`).textContent()).toBe(
            String(c.priorityScore),
          );
      for (const a of brief.audit.models as { modelId: string; coverage: number }[])
        expect(await page.locator(`[data-coverage="${a.modelId}"]`).textContent()).toBe(
          `${Math.round(a.coverage * 1000) / 10} %`,
        );
      // The previous ceremony: Sprint 21 for the first run, the run before for the next ones.
      expect(await page.locator('#previous').textContent()).toContain(brief.previous.title);
      // The charts read their trends after the first screen is drawn.
      await page.locator('svg.trend').nth(1).waitFor();

      // The first screen: the decision at stake, each figure a link to its detail, equal to the
      // brief's summary — at 1366 × 768 all of it without scrolling.
      const s = brief.summary;
      const tiles = page.getByRole('list', { name: 'The decision at stake' });
      const box = await tiles.boundingBox();
      if (width === 1366) expect(box!.y + box!.height).toBeLessThanOrEqual(768);
      const tileText = await tiles.locator('li').allTextContents();
      expect(tileText[0]).toContain(`${s.blocking} of ${s.models}models block adoption`);
      expect(tileText[1]).toContain(money(s.valueAtRiskPerHour));
      expect(tileText[2]).toContain(`${s.reliabilityShare.recommended} % recommended`);
      expect(tileText[3]).toMatch(new RegExp(`^${s.waiting.items} items?wait for a decision`));
      expect(tileText[4]).toContain(`at ${s.previous.title}`);
      for (const href of await tiles
        .locator('a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
        expect(await page.locator(href).count()).toBe(1);
      // Blocking models first, then by value at risk: the revenue-critical model leads.
      expect(await page.locator('#models-table tbody tr td:first-child').allTextContents()).toEqual(
        brief.health.map((h: { modelId: string }) => h.modelId),
      );
      expect(brief.health[0].modelId).toBe('brief-checkout');

      // Search and filter narrow the list and say how many are shown.
      await page.getByLabel('Search models or teams').fill('reports');
      await page.getByText(/Showing 1 of \d+ models/).waitFor();
      expect(await page.locator('#models-table tbody tr').count()).toBe(1);
      await page.getByLabel('Search models or teams').fill('');
      await page.getByLabel('State').selectOption('blocking');
      expect(await page.locator('#models-table tbody tr td:first-child').allTextContents()).toEqual(
        brief.health
          .filter((h: { blocksAdoption: boolean }) => h.blocksAdoption)
          .map((h: { modelId: string }) => h.modelId),
      );
      await page.getByLabel('State').selectOption('all');

      // A chart's table form, on demand.
      await page.getByText("Table of brief-checkout's hourly values").click();
      await page.getByRole('table', { name: 'brief-checkout, hourly (UTC)' }).waitFor();

      // Nothing wider than the screen, no axe violation; the first screen kept for the README.
      await fitsWidth(page, width);
      expect(await axeViolations(page)).toEqual([]);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(shots, `brief-${width}.png`) });

      // By keyboard alone: the skip link comes first and lands in the brief.
      // (A fresh load: Tab then starts at the top, as for someone arriving; the key is in the tab's session.)
      await page.reload();
      await page.locator('#brief').waitFor({ state: 'visible' });
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe(
        'Skip to the brief',
      );
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main');

      // Accessibility: no violation of any impact, here and in every other state the page shows.
      expect(await axeViolations(page)).toEqual([]);

      // Decide from the page: commit the revenue-critical model's item.
      const checkoutItem = (
        await http.get('/api/v1/items?model=brief-checkout&quadrant=model-hygiene').set(editor)
      ).body.items[0];
      // Decide by keyboard: Tab to the item's decision, type the rationale, Enter on Record.
      let tabs = 0;
      while (
        (await page.evaluate<string | undefined>('document.activeElement?.id')) !==
        `d-${checkoutItem.itemId}`
      ) {
        expect(++tabs).toBeLessThan(80);
        await page.keyboard.press('Tab');
      }
      const row = page.locator(`form[data-decide="${checkoutItem.itemId}"]`);
      // Choosing commit shows what it would do to the share before it is recorded.
      expect(await row.locator('.preview').textContent()).toMatch(
        /^Committing it makes reliability [\d.]+ % of the committed effort \(recommended \d+ %\)\.$/,
      );
      await page.keyboard.press('Tab');
      await page.keyboard.type('revenue first');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByText(/Decision recorded: commit/).waitFor();
      expect(await page.locator('#committed-share').textContent()).toMatch(
        /^Committed so far: 100 % of the effort goes to reliability; recommended \d+ %\.$/,
      );
      // The decisions table names the item by its title, not its id.
      expect(
        await page.locator('#decisions tbody td[data-label="item"]').allTextContents(),
      ).toEqual([checkoutItem.title]);

      // A refused allocation is explained in words, not a stack or raw JSON.
      await page.fill('#a-capability', '80');
      await page.fill('#a-reliability', '30');
      await page.getByRole('button', { name: 'Set allocation' }).click();
      await page
        .getByText(/the allocation cannot be closed: allocation per backlog sums to 110 %/)
        .waitFor();
      // An error shown in place is part of the page too.
      expect(await axeViolations(page)).toEqual([]);
      await fitsWidth(page, width);
      await page.fill('#a-capability', '70');
      await page.fill('#a-critical-feature', '70');
      await page.fill('#a-model-hygiene', '30');
      await page.fill('#a-deviation', 'checkout launch this sprint');
      await page.getByRole('button', { name: 'Set allocation' }).click();
      await page.getByText('Allocation set.').waitFor();
      await page.fill('#close-rationale', 'agreed: checkout first');
      await page.getByRole('button', { name: 'Close the ceremony' }).click();
      await page.getByText('Ceremony closed.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await fitsWidth(page, width);
      expect(signInViolations).toEqual([]);

      const closed = (await http.get(`/api/v1/ceremonies/${current}`).set(editor)).body;
      expect(closed).toMatchObject({
        status: 'closed',
        closingRationale: 'agreed: checkout first',
        allocation: { byBacklog: { capability: 70, reliability: 30 } },
      });
      expect(closed.decisions).toEqual([
        expect.objectContaining({
          itemId: checkoutItem.itemId,
          decision: 'commit',
          rationale: 'revenue first',
          decidedBy: 'alice',
        }),
      ]);
      // The Markdown form reads as the minutes.
      const minutes = (
        await http
          .get(`/api/v1/ceremonies/${current}/brief`)
          .set(editor)
          .set('Accept', 'text/markdown')
      ).text;
      expect(minutes).toMatch(new RegExp(`^# ${title} — minutes`));
      expect(minutes).toContain(
        `**commit** ${checkoutItem.title} (\`${checkoutItem.itemId}\`) by alice: revenue first`,
      );
      expect(minutes).toContain('## At stake');

      // The browser logs the one refused write (the 110 % allocation) as a failed load; nothing else.
      expect(problems).toEqual([
        'Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
      ]);
      await page.close();
    },
  );

  it('the brief stays bounded: trends for its first models, the others on demand', async () => {
    const http = request(backlog.getHttpServer());
    const full = (
      await http.get('/api/v1/ceremonies/next/brief?trends=200').set(editor).expect(200)
    ).body;
    expect(full.health.length).toBeGreaterThanOrEqual(2);
    expect(full.health.every((h: { trendIncluded: boolean }) => h.trendIncluded)).toBe(true);
    const one = (await http.get('/api/v1/ceremonies/next/brief?trends=1').set(editor).expect(200))
      .body;
    expect(one.health.map((h: { trendIncluded: boolean }) => h.trendIncluded)).toEqual(
      full.health.map((_: unknown, i: number) => i === 0),
    );
    expect(one.health[1].trend).toEqual([]);
    // The latest point stands in the table whether or not the trend is included.
    expect(one.health[1].latest).toEqual(full.health[1].latest);
    const second = full.health[1].modelId as string;
    const trends = (
      await http
        .get(`/api/v1/ceremonies/next/brief/trends?models=${second},no-such-model`)
        .set(editor)
        .expect(200)
    ).body;
    expect(trends).toEqual({ items: [{ modelId: second, trend: full.health[1].trend }] });
    // Out of bounds is a problem, not a truncated answer.
    for (const path of [
      '/api/v1/ceremonies/next/brief?trends=201',
      '/api/v1/ceremonies/next/brief/trends',
      '/api/v1/ceremonies/next/brief/trends?models=Not%20An%20Id',
      `/api/v1/ceremonies/next/brief/trends?models=${Array.from({ length: 51 }, (_, i) => `m${i}`).join(',')}`,
    ]) {
      const res = await http.get(path).set(editor);
      expect({ path, status: res.status, type: res.type }).toEqual({
        path,
        status: 400,
        type: 'application/problem+json',
      });
    }
  });

  it('a viewer reads the brief but the API refuses its decisions, shown in words where tried', async () => {
    const http = request(backlog.getHttpServer());
    const id = (
      await http
        .post('/api/v1/ceremonies')
        .set(editor)
        .send({ title: 'Sprint 23', scheduledFor: '2026-06-15T09:00:00Z' })
    ).body.ceremonyId as string;
    await http.post(`/api/v1/ceremonies/${id}/open`).set(editor).expect(200);
    const { page, problems } = await signedIn('/brief/next', KEYS.viewer);
    // /brief/next is the open ceremony the API names as next (whatever else this file left open).
    const next = (await http.get('/api/v1/ceremonies/next/brief').set(editor).expect(200)).body;
    expect(next.ceremony.status).toBe('open');
    expect(await page.locator('#title').textContent()).toBe(next.ceremony.title);
    const form = page.locator('form[data-decide]').first();
    await form.locator('input').fill('try');
    await form.getByRole('button', { name: 'Record' }).click();
    await page.getByText(/needs the editor role; the key has viewer/).waitFor();
    // The viewer's page with its refusal shown, at each width.
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      expect({ viewport, violations: await axeViolations(page) }).toEqual({
        viewport,
        violations: [],
      });
      await fitsWidth(page, viewport.width);
    }
    expect(signInViolations).toEqual([]);
    // The key is nowhere in the address.
    expect(page.url()).not.toContain(KEYS.viewer);
    expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
    await page.close();
  });
});
