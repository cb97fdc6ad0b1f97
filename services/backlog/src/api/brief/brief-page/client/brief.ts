import {
  accuracyText,
  allocationBody,
  hourLabel,
  idempotencyKey,
  minuteUtc,
  money,
  pct,
  trendSeries,
} from './brief-format.js';
import type { BriefView, Candidate } from './brief-types.js';

/**
 * The brief page's script, served as /brief-assets/brief.js (an ES module). It renders the JSON
 * brief with DOM calls (never innerHTML with data) and acts through the REST API, showing a
 * problem's `detail` in words.
 */

interface ChartConstructor {
  new (canvas: HTMLCanvasElement, config: unknown): unknown;
}
declare global {
  interface Window {
    /** Chart.js's UMD build, loaded by the page before this module. */
    Chart?: ChartConstructor;
  }
}

type Cell = string | Node | ({ text: string } & Record<string, string>);

const KEY = 'fulcrum.apiKey';
const requested = document.body.getAttribute('data-ceremony') ?? 'next';
const state: { brief: BriefView | null } = { brief: null };

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string | null)[] = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children)
    if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function table(caption: string, heads: string[], rows: Cell[][]): HTMLTableElement {
  const t = el('table', {}, [el('caption', { text: caption })]);
  t.appendChild(
    el('thead', {}, [
      el(
        'tr',
        {},
        heads.map((h) => el('th', { scope: 'col', text: h })),
      ),
    ]),
  );
  const body = el('tbody');
  for (const r of rows)
    body.appendChild(
      el(
        'tr',
        {},
        r.map((c) =>
          c instanceof Node
            ? el('td', {}, [c])
            : typeof c === 'object'
              ? el('td', c)
              : el('td', { text: c }),
        ),
      ),
    );
  t.appendChild(body);
  return t;
}

const whyList = (lines: string[]) =>
  el(
    'ul',
    { className: 'why' },
    lines.map((w) => el('li', { text: w })),
  );

function say(text: string, isError: boolean): void {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : '';
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const h: Record<string, string> = {
    Authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`,
    ...headers,
  };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const detail = (data as { detail?: string } | null)?.detail;
    throw new Error(detail ?? `the request failed (${res.status})`);
  }
  return data;
}

async function load(): Promise<void> {
  const id = state.brief ? state.brief.ceremony.ceremonyId : requested;
  try {
    state.brief = (await api('GET', `/api/v1/ceremonies/${id}/brief`)) as BriefView;
  } catch (e) {
    say((e as Error).message, true);
    return;
  }
  $('signin').hidden = true;
  $('signout').hidden = false;
  $('brief').hidden = false;
  render(state.brief);
}

function render(b: BriefView): void {
  const c = b.ceremony;
  $('title').textContent = c.title;
  document.title = `${c.title} — ceremony brief`;
  $('subtitle').textContent =
    `Ceremony ${c.status}, scheduled ${minuteUtc(c.scheduledFor)} UTC; health since ${minuteUtc(b.since)} UTC.`;
  renderHealth(b);
  renderImpact(b);
  renderAllocation(b);
  renderCandidates(b);
  renderPrevious(b);
  renderAudit(b);
  renderDecisions(b);
}

function renderHealth(b: BriefView): void {
  const root = $('health');
  root.replaceChildren(
    table(
      'Models',
      ['model', 'blocks adoption', 'accuracy', 'open incidents', 'why'],
      b.health.map((h) => [
        h.modelId,
        h.blocksAdoption ? { text: 'yes', className: 'bad' } : 'no',
        accuracyText(h.trend[h.trend.length - 1]),
        h.openIncidents.map((i) => `${i.rule} (${i.severity})`).join(', ') || '–',
        whyList(h.why),
      ]),
    ),
  );
  const grid = el('div', { className: 'charts' });
  root.appendChild(grid);
  const Chart = window.Chart;
  for (const h of b.health) {
    if (!h.trend.length || !Chart) continue;
    const canvas = el('canvas', {
      role: 'img',
      'aria-label': `Hourly trend of ${h.modelId}: accuracy, error ratio, slow ratio and drift score against their thresholds`,
    });
    grid.appendChild(
      el('figure', { className: 'chart' }, [
        canvas,
        el('figcaption', { text: `${h.modelId} — hourly, since the last ceremony` }),
      ]),
    );
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: h.trend.map((p) => hourLabel(p.hour)),
        datasets: trendSeries(h, b.thresholds).map((s) => ({
          label: s.label,
          data: s.data,
          borderColor: s.color,
          backgroundColor: s.color,
          borderDash: s.dash,
          pointRadius: 0,
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        scales: { y: { min: 0, max: 1 } },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    });
  }
}

function renderImpact(b: BriefView): void {
  $('impact').replaceChildren(
    table(
      'Value at risk per model',
      ['model', 'value at risk per hour', 'cost of delay so far'],
      b.valueAtRisk.models.map((m): Cell[] => [
        m.modelId,
        { text: money(m.perHour, b.currency), className: 'num', 'data-var': m.modelId },
        { text: money(m.costOfDelay, b.currency), className: 'num' },
      ]),
    ),
    table(
      'Open reliability items',
      ['item', 'model', 'rule', 'value at risk per hour', 'cost of delay'],
      b.valueAtRisk.items.map((i): Cell[] => [
        i.title,
        i.modelId,
        i.rule,
        { text: money(i.perHour, b.currency), className: 'num' },
        { text: money(i.costOfDelay, b.currency), className: 'num', 'data-cod': i.itemId },
      ]),
    ),
  );
}

function renderAllocation(b: BriefView): void {
  const a = b.allocation;
  const root = $('allocation');
  root.replaceChildren(
    table(
      'Reliability share (percent)',
      ['planned', 'actual', 'recommended'],
      [
        [
          {
            text: a.planned ? String(a.planned.byBacklog.reliability) : 'not set',
            className: 'num',
            'data-alloc': 'planned',
          },
          { text: String(a.actual.reliability ?? 0), className: 'num', 'data-alloc': 'actual' },
          {
            text: String(a.recommendedReliability),
            className: 'num',
            'data-alloc': 'recommended',
          },
        ],
      ],
    ),
  );
  if (a.history.length)
    root.appendChild(
      table(
        'Past ceremonies',
        ['ceremony', 'closed', 'reliability share', 'deviation rationale'],
        a.history.map((h) => [
          h.title,
          (h.closedAt ?? '–').slice(0, 10),
          `${h.reliability} %`,
          h.deviationRationale ?? '–',
        ]),
      ),
    );
  if (b.ceremony.status === 'open') root.appendChild(allocationForm(b));
}

function field(id: string, label: string, value: string | number, type = 'number') {
  const input = el('input', {
    id,
    name: id,
    type,
    value: String(value),
    min: '0',
    max: '100',
    step: 'any',
  });
  return el('div', {}, [el('label', { for: id, text: label }), input]);
}

function allocationForm(b: BriefView): HTMLFormElement {
  const rec = b.allocation.recommendedReliability;
  const form = el(
    'form',
    { className: 'inline', id: 'allocation-form', 'aria-label': 'Set the allocation' },
    [
      field('a-capability', 'capability %', 100 - rec),
      field('a-reliability', 'reliability %', rec),
      field('a-critical-feature', 'critical features %', 100 - rec),
      field('a-innovation', 'innovation %', 0),
      field('a-model-hygiene', 'model hygiene %', rec),
      field('a-technical-debt', 'technical debt %', 0),
      field('a-deviation', 'deviation rationale (if below the recommendation)', '', 'text'),
      el('button', { type: 'submit', text: 'Set allocation' }),
    ],
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = (id: string) => Number($<HTMLInputElement>(id).value);
    void act(
      'PUT',
      'allocation',
      allocationBody({
        capability: n('a-capability'),
        reliability: n('a-reliability'),
        criticalFeature: n('a-critical-feature'),
        innovation: n('a-innovation'),
        modelHygiene: n('a-model-hygiene'),
        technicalDebt: n('a-technical-debt'),
        deviation: $<HTMLInputElement>('a-deviation').value,
      }),
      'Allocation set.',
    );
  });
  return form;
}

function renderCandidates(b: BriefView): void {
  const root = $('candidates');
  root.replaceChildren();
  for (const [quadrant, list] of Object.entries(b.candidates)) {
    root.appendChild(el('h3', { text: quadrant }));
    if (!list.length) {
      root.appendChild(el('p', { text: 'None.' }));
      continue;
    }
    root.appendChild(
      table(
        `${quadrant} candidates, highest priority first`,
        ['item', 'status', 'priority', 'why', 'decide'],
        list.map((i) => [
          i.title,
          i.status,
          { text: String(i.priorityScore), className: 'num', 'data-priority': i.itemId },
          whyList(i.explanation),
          b.ceremony.status === 'open' ? decisionForm(i) : '–',
        ]),
      ),
    );
  }
}

function decisionForm(i: Candidate): HTMLFormElement {
  const sel = el(
    'select',
    { id: `d-${i.itemId}`, 'aria-label': `Decision on ${i.title}` },
    ['commit', 'defer', 'drop'].map((d) => el('option', { value: d, text: d })),
  );
  const why = el('input', {
    id: `r-${i.itemId}`,
    type: 'text',
    'aria-label': `Rationale for ${i.title}`,
    placeholder: 'rationale',
  });
  const form = el('form', { className: 'inline', 'data-decide': i.itemId }, [
    sel,
    why,
    el('button', { type: 'submit', text: 'Record' }),
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(
      'POST',
      'decisions',
      { itemId: i.itemId, decision: sel.value, rationale: why.value },
      `Decision recorded: ${sel.value} ${i.title}.`,
    );
  });
  return form;
}

function renderPrevious(b: BriefView): void {
  const root = $('previous');
  const p = b.previous;
  if (!p) {
    root.replaceChildren(el('p', { text: 'No previous ceremony.' }));
    return;
  }
  root.replaceChildren(
    table(
      `${p.title} (closed ${(p.closedAt ?? '').slice(0, 10)})`,
      ['item', 'decided', 'now', 'incident resolved', 'cost since'],
      p.outcomes.map((o) => [
        o.title,
        o.decision,
        o.nowStatus,
        o.incidentResolved === null ? '–' : o.incidentResolved ? 'yes' : 'no',
        { text: money(o.costSince, b.currency), className: 'num' },
      ]),
    ),
  );
}

function renderAudit(b: BriefView): void {
  $('audit').replaceChildren(
    table(
      'Monitoring coverage per model',
      ['model', 'coverage', 'failing checks'],
      b.audit.models.map((a) => [
        a.modelId,
        { text: pct(a.coverage), className: 'num', 'data-coverage': a.modelId },
        a.failing.join(', ') || '–',
      ]),
    ),
    el('p', { text: `Open technical-debt items: ${b.audit.openDebtItems.length}.` }),
  );
}

function renderDecisions(b: BriefView): void {
  const root = $('decisions');
  root.replaceChildren(
    b.decisions.length
      ? table(
          'Decisions',
          ['decision', 'item', 'by', 'rationale', 'projected cost until the next ceremony'],
          b.decisions.map((d) => [
            d.decision,
            d.itemId,
            d.decidedBy,
            d.rationale || '–',
            d.projectedCostOfDelay
              ? money(d.projectedCostOfDelay.amount, d.projectedCostOfDelay.currency)
              : '–',
          ]),
        )
      : el('p', { text: 'None yet.' }),
  );
  const c = b.ceremony;
  if (c.status === 'scheduled') {
    const open = el('button', { type: 'button', id: 'open-ceremony', text: 'Open the ceremony' });
    open.addEventListener('click', () => void act('POST', 'open', undefined, 'Ceremony opened.'));
    root.appendChild(open);
  }
  if (c.status === 'open') {
    const why = el('input', { id: 'close-rationale', type: 'text' });
    const form = el('form', { className: 'inline', id: 'close-form' }, [
      el('div', {}, [el('label', { for: 'close-rationale', text: 'closing rationale' }), why]),
      el('button', { type: 'submit', text: 'Close the ceremony' }),
    ]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void act('POST', 'close', { rationale: why.value || undefined }, 'Ceremony closed.');
    });
    root.appendChild(form);
  }
}

/** Every write carries If-Match (the version the page shows) and a fresh Idempotency-Key. */
async function act(method: string, what: string, body: unknown, done: string): Promise<void> {
  const c = state.brief!.ceremony;
  try {
    await api(method, `/api/v1/ceremonies/${c.ceremonyId}/${what}`, body, {
      'If-Match': `"${c.version}"`,
      'Idempotency-Key': idempotencyKey(Date.now(), Math.random()),
    });
    await load();
    say(done, false);
  } catch (e) {
    say((e as Error).message, true);
  }
}

$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const key = $<HTMLInputElement>('api-key');
  sessionStorage.setItem(KEY, key.value);
  key.value = '';
  void load();
});
$('signout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.reload();
});
if (sessionStorage.getItem(KEY)) void load();
