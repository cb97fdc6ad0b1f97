import {
  accuracyText,
  allocationBody,
  committedShare,
  dayTicks,
  facets,
  filterModels,
  hourLabel,
  idempotencyKey,
  linePath,
  minuteUtc,
  money,
  NO_FILTER,
  pct,
  SERIES_STYLE,
  trendStrips,
  type ModelFilter,
} from './brief-format.js';
import type { BriefView, Candidate, HealthView } from './brief-types.js';

/**
 * The brief page's script, served as /brief-assets/brief.js (an ES module). It renders the JSON
 * brief with DOM calls (never innerHTML with data) and acts through the REST API. The first screen
 * says what is at stake; every figure there links to its detail below, in the order a ceremony
 * runs: decide, then the models, the money, the allocation, the last ceremony, the audit.
 */

type Cell = string | Node | ({ text: string } & Record<string, string>);

const KEY = 'fulcrum.apiKey';
const SVG = 'http://www.w3.org/2000/svg';
/** Rows and cards shown before "show all": enough for a meeting, bounded for 200 models. */
const FIRST_MODELS = 10;
const FIRST_CHARTS = 6;
const FIRST_CANDIDATES = 5;
const FIRST_ITEMS = 10;

const requested = document.body.getAttribute('data-ceremony') ?? 'next';
const state: {
  brief: BriefView | null;
  filter: ModelFilter;
  expanded: Set<string>;
} = { brief: null, filter: { ...NO_FILTER }, expanded: new Set() };

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

function svg(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A table that reads as cards on a narrow screen: each cell carries its column's name, which the
 * stylesheet shows beside the value when the header row is hidden.
 */
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
        r.map((c, i) => {
          const label = { 'data-label': heads[i] };
          return c instanceof Node
            ? el('td', label, [c])
            : typeof c === 'object'
              ? el('td', { ...label, ...c })
              : el('td', { ...label, text: c });
        }),
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

/** "Show all N" for a list cut at its first rows; remembers the choice across re-renders. */
function showAll(
  key: string,
  total: number,
  shown: number,
  noun: string,
): HTMLButtonElement | null {
  if (total <= shown) return null;
  const b = el('button', {
    type: 'button',
    className: 'more',
    'aria-expanded': 'false',
    text: `Show all ${total} ${noun} (${total - shown} more)`,
  });
  b.addEventListener('click', () => {
    state.expanded.add(key);
    if (state.brief) render(state.brief);
    document.getElementById(`${key}-list`)?.focus();
  });
  return b;
}

const limit = <T>(key: string, list: T[], first: number): T[] =>
  state.expanded.has(key) ? list : list.slice(0, first);

function say(text: string): void {
  $('status').textContent = text;
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
    // Without trends: the first screen needs none, and the charts shown read theirs right after.
    state.brief = (await api('GET', `/api/v1/ceremonies/${id}/brief?trends=0`)) as BriefView;
  } catch (e) {
    if ($('brief').hidden) {
      const where = $('signin-problem');
      where.textContent = (e as Error).message;
      where.hidden = false;
    } else say((e as Error).message);
    return;
  }
  $('signin').hidden = true;
  $('signout').hidden = false;
  $('sections').hidden = false;
  $('brief').hidden = false;
  render(state.brief);
}

function render(b: BriefView): void {
  const c = b.ceremony;
  $('title').textContent = c.title;
  document.title = `${c.title} — ceremony brief`;
  $('subtitle').textContent =
    `Ceremony ${c.status}, scheduled ${minuteUtc(c.scheduledFor)} UTC; health since ${minuteUtc(b.since)} UTC.`;
  renderStake(b);
  renderDecide(b);
  renderModels(b);
  renderImpact(b);
  renderAllocation(b);
  renderPrevious(b);
  renderAudit(b);
  renderDecisions(b);
}

/** The first screen: the decision at stake, each figure a link to where it is explained. */
function renderStake(b: BriefView): void {
  const s = b.summary;
  const r = s.reliabilityShare;
  const tile = (href: string, figure: string, label: string, detail: string, tone = '') =>
    el('li', { className: tone ? `tile tone-${tone}` : 'tile' }, [
      el('a', { href }, [
        el('span', { className: 'figure', text: figure }),
        el('span', { className: 'label', text: label }),
        el('span', { className: 'detail', text: detail }),
      ]),
    ]);
  const committed =
    r.committed === null ? 'nothing committed yet' : `${r.committed} % committed so far`;
  $('stake').replaceChildren(
    el('ul', { className: 'tiles', 'aria-label': 'The decision at stake' }, [
      tile(
        '#models-h',
        `${s.blocking} of ${s.models}`,
        'models block adoption',
        s.blocking ? 'their incidents must be decided on today' : 'no model blocks adoption',
        s.blocking ? 'bad' : 'ok',
      ),
      tile(
        '#impact-h',
        money(s.valueAtRiskPerHour, b.currency),
        'value at risk per hour, all models',
        s.unestimated
          ? `${s.unestimated} model(s) at risk not estimated (no profile)`
          : 'every model at risk is estimated',
        s.valueAtRiskPerHour > 0 ? 'bad' : '',
      ),
      tile(
        '#allocation-h',
        `${r.recommended} % recommended`,
        'reliability share of the work',
        `planned ${r.planned === null ? 'not set' : `${r.planned} %`} · actual ${r.actual} % · ${committed}`,
        r.planned !== null && r.planned < r.recommended ? 'bad' : '',
      ),
      tile(
        '#decide-h',
        plural(s.waiting.items, 'item'),
        'wait for a decision',
        `${money(s.waiting.valueAtRiskPerHour, b.currency)} per hour at risk in them`,
      ),
      s.previous
        ? tile(
            '#previous-h',
            plural(s.previous.decisions, 'decision'),
            `at ${s.previous.title}`,
            `incidents resolved ${s.previous.incidentsResolved}, still open ${s.previous.incidentsOpen}; deferring cost ${money(s.previous.costSince, b.currency)}`,
            s.previous.incidentsOpen ? 'bad' : '',
          )
        : tile('#previous-h', 'none', 'previous ceremony', 'this is the first one'),
    ]),
  );
}

/** Candidates by quadrant, each decided where it is read; the committed share updates as you go. */
function renderDecide(b: BriefView): void {
  const root = $('decide');
  const open = b.ceremony.status === 'open';
  const effort = new Map<string, number>();
  for (const list of Object.values(b.candidates))
    for (const c of list) effort.set(c.itemId, c.scores.effort ?? 1);
  const effortOf = (id: string) => effort.get(id) ?? 1;
  const recommended = b.allocation.recommendedReliability;
  const share = b.summary.reliabilityShare.committed;
  const meter = el('div', { className: 'meter' }, [
    el('p', {
      id: 'committed-share',
      text:
        share === null
          ? `Nothing committed yet. Recommended reliability share: ${recommended} %.`
          : `Committed so far: ${share} % of the effort goes to reliability; recommended ${recommended} %.`,
    }),
    el('div', { className: 'bar', 'aria-hidden': 'true' }, [
      el('span', { className: 'fill', style: `width:${share ?? 0}%` }),
      el('span', { className: 'mark', style: `left:${recommended}%` }),
    ]),
  ]);
  root.replaceChildren(
    meter,
    open
      ? el('p', {
          className: 'hint',
          text: 'Record commit, defer or drop with a rationale beside each candidate; the allocation below is set once the decisions are made.',
        })
      : el('p', {
          className: 'hint',
          text:
            b.ceremony.status === 'scheduled'
              ? 'Decisions are recorded once the ceremony is opened (at the end of the page).'
              : 'The ceremony is closed: its decisions are listed at the end of the page.',
        }),
  );
  const decided = new Map(b.decisions.map((d) => [d.itemId, d.decision]));
  for (const [quadrant, all] of Object.entries(b.candidates)) {
    const key = `q-${quadrant}`;
    root.appendChild(el('h3', { text: `${quadrant} (${all.length})` }));
    if (!all.length) {
      root.appendChild(el('p', { text: 'None.' }));
      continue;
    }
    const list = el('ol', { className: 'cards', id: `${key}-list`, tabindex: '-1' });
    for (const c of limit(key, all, FIRST_CANDIDATES))
      list.appendChild(candidateCard(b, c, decided.get(c.itemId), effortOf, open));
    root.appendChild(list);
    const more = showAll(key, all.length, FIRST_CANDIDATES, 'candidates');
    if (more) root.appendChild(more);
  }
}

function candidateCard(
  b: BriefView,
  c: Candidate,
  decided: string | undefined,
  effortOf: (id: string) => number,
  open: boolean,
): HTMLLIElement {
  const card = el('li', { className: 'card' }, [
    el('h4', { text: c.title }),
    el('p', { className: 'facts' }, [
      `${c.backlog} · ${c.status} · priority `,
      el('strong', { 'data-priority': c.itemId, text: String(c.priorityScore) }),
      decided ? ` · decided: ${decided}` : '',
    ]),
    el('details', {}, [el('summary', { text: 'Why this priority' }), whyList(c.explanation)]),
  ]);
  if (open && !decided) card.appendChild(decisionForm(b, c, effortOf));
  return card;
}

function decisionForm(
  b: BriefView,
  c: Candidate,
  effortOf: (id: string) => number,
): HTMLFormElement {
  const sel = el(
    'select',
    { id: `d-${c.itemId}`, 'aria-label': `Decision on ${c.title}` },
    ['commit', 'defer', 'drop'].map((d) => el('option', { value: d, text: d })),
  );
  const why = el('input', {
    id: `r-${c.itemId}`,
    type: 'text',
    'aria-label': `Rationale for ${c.title}`,
    placeholder: 'rationale',
  });
  const preview = el('p', { className: 'preview' });
  const problem = el('p', { className: 'problem', role: 'alert' });
  const showPreview = () => {
    const would = committedShare(b.decisions, effortOf, { itemId: c.itemId, backlog: c.backlog });
    preview.textContent =
      sel.value === 'commit'
        ? `Committing it makes reliability ${pct((would ?? 0) / 100)} of the committed effort (recommended ${b.allocation.recommendedReliability} %).`
        : '';
  };
  sel.addEventListener('change', showPreview);
  showPreview();
  const form = el('form', { className: 'inline', 'data-decide': c.itemId }, [
    sel,
    why,
    el('button', { type: 'submit', text: 'Record' }),
    preview,
    problem,
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(
      'POST',
      'decisions',
      { itemId: c.itemId, decision: sel.value, rationale: why.value },
      `Decision recorded: ${sel.value} ${c.title}.`,
      problem,
    );
  });
  return form;
}

/** The models, filtered and searched, as a table and as small multiples of their hourly trends. */
function renderModels(b: BriefView): void {
  const { teams, tiers } = facets(b.health);
  const choice = (id: string, label: string, values: [string, string][], current: string) => {
    const sel = el(
      'select',
      { id },
      values.map(([v, t]) => {
        const o = el('option', { value: v, text: t });
        if (v === current) o.setAttribute('selected', '');
        return o;
      }),
    );
    return el('div', {}, [el('label', { for: id, text: label }), sel]);
  };
  const f = state.filter;
  const search = el('input', { id: 'm-query', type: 'search', value: f.query });
  const form = el('form', { className: 'filters', role: 'search', 'aria-label': 'Filter models' }, [
    el('div', {}, [el('label', { for: 'm-query', text: 'Search models or teams' }), search]),
    choice(
      'm-team',
      'Team',
      [['', 'all teams'], ...teams.map((t): [string, string] => [t, t])],
      f.team,
    ),
    choice(
      'm-tier',
      'Tier',
      [['', 'all tiers'], ...tiers.map((t): [string, string] => [t, `tier ${t}`])],
      f.tier,
    ),
    choice(
      'm-state',
      'State',
      [
        ['all', 'all'],
        ['blocking', 'blocking adoption'],
        ['incident', 'with open incidents'],
        ['healthy', 'no open incident'],
      ],
      f.state,
    ),
  ]);
  const update = () => {
    state.filter = {
      query: search.value,
      team: $<HTMLSelectElement>('m-team').value,
      tier: $<HTMLSelectElement>('m-tier').value,
      state: $<HTMLSelectElement>('m-state').value as ModelFilter['state'],
    };
    renderModelList(b);
  };
  form.addEventListener('input', update);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  $('models-filter').replaceChildren(form);
  renderModelList(b);
}

function renderModelList(b: BriefView): void {
  const shown = filterModels(b.health, state.filter);
  const varOf = new Map(b.valueAtRisk.models.map((m) => [m.modelId, m]));
  $('models-count').textContent =
    shown.length === b.health.length
      ? `${b.health.length} models, blocking first, then by value at risk.`
      : `Showing ${shown.length} of ${b.health.length} models.`;
  const rows = limit('models', shown, FIRST_MODELS);
  const t = table(
    'Models, blocking first, then by value at risk per hour',
    [
      'model',
      'team',
      'tier',
      'blocks adoption',
      'accuracy',
      'value at risk per hour',
      'cost of delay',
      'open incidents',
      'why',
    ],
    rows.map((h): Cell[] => [
      h.modelId,
      h.team ?? '–',
      h.tier === null ? '–' : String(h.tier),
      h.blocksAdoption ? { text: 'yes', className: 'bad' } : 'no',
      accuracyText(h.latest ?? undefined),
      {
        text: money(varOf.get(h.modelId)?.perHour, b.currency),
        className: 'num',
        'data-var': h.modelId,
      },
      { text: money(varOf.get(h.modelId)?.costOfDelay, b.currency), className: 'num' },
      h.openIncidents.map((i) => `${i.rule} (${i.severity})`).join(', ') || '–',
      whyList(h.why),
    ]),
  );
  t.id = 'models-list';
  t.tabIndex = -1;
  $('models-table').replaceChildren(
    t,
    showAll('models', shown.length, FIRST_MODELS, 'models') ?? '',
  );
  renderCharts(b, shown);
}

/**
 * Small multiples: one figure per model, one legend for all, each with a table form on demand. The
 * brief carries the trends of its first models only; the others shown are read when they are.
 */
function renderCharts(b: BriefView, shown: HealthView[]): void {
  const visible = limit('charts', shown, FIRST_CHARTS);
  const missing = visible.filter((h) => !h.trendIncluded).map((h) => h.modelId);
  if (missing.length) void loadTrends(b, missing);
  const withTrend = visible.filter((h) => h.trend.length);
  const key = (color: string, width: number, dash: string) => {
    const k = svg('svg', { width: 28, height: 10, 'aria-hidden': 'true', focusable: 'false' });
    k.appendChild(
      svg('line', {
        x1: 0,
        y1: 5,
        x2: 28,
        y2: 5,
        stroke: color,
        'stroke-width': width,
        'stroke-dasharray': dash,
      }),
    );
    return k;
  };
  const legend = el('ul', { className: 'legend', 'aria-label': 'Chart legend' }, [
    ...Object.values(SERIES_STYLE).map((s) => el('li', {}, [key(s.color, 2, s.dash), s.label])),
    el('li', {}, [key('#4a5360', 1, '6 3'), 'the line the rule judges by (labelled)']),
    el('li', { text: 'a break in a line: no status arrived that hour' }),
  ]);
  const grid = el('div', { className: 'charts', id: 'charts-list', tabindex: '-1' });
  for (const h of withTrend) grid.appendChild(chart(b, h));
  $('models-charts').replaceChildren(
    legend,
    missing.length ? el('p', { text: `Reading the trends of ${missing.length} more models…` }) : '',
    grid,
    showAll('charts', shown.length, FIRST_CHARTS, 'charts') ?? '',
  );
}

/** Reads the trends the brief left out, 50 models a request, then draws the charts again. */
async function loadTrends(b: BriefView, modelIds: string[]): Promise<void> {
  const byId = new Map(b.health.map((h) => [h.modelId, h]));
  try {
    for (let i = 0; i < modelIds.length; i += 50) {
      const chunk = modelIds.slice(i, i + 50);
      const got = (await api(
        'GET',
        `/api/v1/ceremonies/${b.ceremony.ceremonyId}/brief/trends?models=${chunk.map(encodeURIComponent).join(',')}`,
      )) as { items: { modelId: string; trend: BriefView['health'][number]['trend'] }[] };
      for (const m of got.items) {
        const h = byId.get(m.modelId);
        if (h) h.trend = m.trend;
      }
      for (const id of chunk) {
        const h = byId.get(id);
        if (h) h.trendIncluded = true;
      }
    }
  } catch (e) {
    say(`The trends could not be read: ${(e as Error).message}`);
    return;
  }
  if (state.brief === b) renderCharts(b, filterModels(b.health, state.filter));
}

const CHART = { width: 340, strip: 44, gap: 18, left: 36, right: 58, axis: 18 };

function chart(b: BriefView, h: HealthView): HTMLElement {
  const { start, hours, strips } = trendStrips(h, b.thresholds);
  const plotW = CHART.width - CHART.left - CHART.right;
  const height = strips.length * (CHART.strip + CHART.gap) + CHART.axis;
  const titleId = `chart-${h.modelId}`;
  const root = svg('svg', {
    viewBox: `0 0 ${CHART.width} ${height}`,
    role: 'img',
    'aria-labelledby': titleId,
    class: 'trend',
  });
  root.appendChild(
    svg(
      'title',
      { id: titleId },
      `Hourly trend of ${h.modelId}: accuracy, error and slow ratio, drift score, each against its line`,
    ),
  );
  strips.forEach((s, k) => {
    const top = k * (CHART.strip + CHART.gap) + CHART.gap - 4;
    const y = (v: number) =>
      top +
      CHART.strip -
      ((Math.min(Math.max(v, s.min), s.max) - s.min) / (s.max - s.min)) * CHART.strip;
    root.appendChild(svg('text', { x: 0, y: top - 4, class: 'strip' }, s.name));
    root.appendChild(
      svg('rect', { x: CHART.left, y: top, width: plotW, height: CHART.strip, class: 'plot' }),
    );
    root.appendChild(svg('text', { x: CHART.left - 3, y: top + 8, class: 'tick end' }, fmt(s.max)));
    root.appendChild(
      svg('text', { x: CHART.left - 3, y: top + CHART.strip, class: 'tick end' }, fmt(s.min)),
    );
    // Labels of lines close together are stacked upwards so both stay legible.
    let labelAbove = Infinity;
    for (const t of [...s.thresholds].sort((a, b) => a.value - b.value)) {
      const ty = y(t.value);
      const ly = Math.min(ty + 3, labelAbove - 10);
      labelAbove = ly;
      root.appendChild(
        svg('line', { x1: CHART.left, x2: CHART.left + plotW, y1: ty, y2: ty, class: 'threshold' }),
      );
      root.appendChild(svg('text', { x: CHART.left + plotW + 3, y: ly, class: 'tick' }, t.label));
    }
    for (const line of s.series)
      root.appendChild(
        svg('path', {
          d: linePath(line.values, CHART.left, plotW, y),
          stroke: line.color,
          'stroke-dasharray': line.dash,
          class: 'series',
        }),
      );
  });
  const axisY = height - 4;
  for (const t of dayTicks(start, hours))
    root.appendChild(
      svg(
        'text',
        {
          x: CHART.left + (hours > 1 ? (t.index / (hours - 1)) * plotW : 0),
          y: axisY,
          class: 'tick mid',
        },
        t.label,
      ),
    );
  const details = el('details', {}, [
    el('summary', { text: `Table of ${h.modelId}'s hourly values` }),
  ]);
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('table')) return;
    details.appendChild(
      table(
        `${h.modelId}, hourly (UTC)`,
        ['hour', 'accuracy', 'error ratio', 'slow ratio', 'drift score'],
        h.trend.map((p) => [
          hourLabel(p.hour),
          accuracyText(p),
          pct(p.errorRatio),
          pct(p.slowRatio),
          String(p.driftScore),
        ]),
      ),
    );
  });
  return el('figure', { className: 'chart' }, [
    el('figcaption', { text: `${h.modelId}${h.blocksAdoption ? ' — blocks adoption' : ''}` }),
    root as unknown as Node,
    details,
  ]);
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const fmt = (v: number) => (v >= 0.1 || v === 0 ? String(Math.round(v * 100) / 100) : String(v));

function renderImpact(b: BriefView): void {
  const items = b.valueAtRisk.items;
  const t = table(
    'Open reliability items, costliest delay first',
    ['item', 'model', 'rule', 'value at risk per hour', 'cost of delay'],
    limit('impact', items, FIRST_ITEMS).map((i): Cell[] => [
      i.title,
      i.modelId,
      i.rule,
      { text: money(i.perHour, b.currency), className: 'num' },
      { text: money(i.costOfDelay, b.currency), className: 'num', 'data-cod': i.itemId },
    ]),
  );
  t.id = 'impact-list';
  t.tabIndex = -1;
  $('impact').replaceChildren(
    items.length ? t : el('p', { text: 'No open reliability item.' }),
    showAll('impact', items.length, FIRST_ITEMS, 'items') ?? '',
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
  const problem = el('p', { className: 'problem', role: 'alert' });
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
      problem,
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
      problem,
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
  const t = table(
    `${p.title} (closed ${(p.closedAt ?? '').slice(0, 10)})`,
    ['item', 'decided', 'now', 'incident resolved', 'cost since'],
    limit('previous', p.outcomes, FIRST_ITEMS).map((o) => [
      o.title,
      o.decision,
      o.nowStatus,
      o.incidentResolved === null ? '–' : o.incidentResolved ? 'yes' : 'no',
      { text: money(o.costSince, b.currency), className: 'num' },
    ]),
  );
  t.id = 'previous-list';
  t.tabIndex = -1;
  root.replaceChildren(t, showAll('previous', p.outcomes.length, FIRST_ITEMS, 'decisions') ?? '');
}

function renderAudit(b: BriefView): void {
  // Least covered first: the gaps are what a ceremony acts on.
  const models = [...b.audit.models].sort(
    (x, y) => x.coverage - y.coverage || x.modelId.localeCompare(y.modelId),
  );
  const t = table(
    'Monitoring coverage per model, least covered first',
    ['model', 'coverage', 'failing checks'],
    limit('audit', models, FIRST_ITEMS).map((a) => [
      a.modelId,
      { text: pct(a.coverage), className: 'num', 'data-coverage': a.modelId },
      a.failing.join(', ') || '–',
    ]),
  );
  t.id = 'audit-list';
  t.tabIndex = -1;
  $('audit').replaceChildren(
    t,
    showAll('audit', models.length, FIRST_ITEMS, 'models') ?? '',
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
            d.title,
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
  const problem = el('p', { className: 'problem', role: 'alert' });
  if (c.status === 'scheduled') {
    const open = el('button', { type: 'button', id: 'open-ceremony', text: 'Open the ceremony' });
    open.addEventListener(
      'click',
      () => void act('POST', 'open', undefined, 'Ceremony opened.', problem),
    );
    root.append(open, problem);
  }
  if (c.status === 'open') {
    const why = el('input', { id: 'close-rationale', type: 'text' });
    const form = el('form', { className: 'inline', id: 'close-form' }, [
      el('div', {}, [el('label', { for: 'close-rationale', text: 'closing rationale' }), why]),
      el('button', { type: 'submit', text: 'Close the ceremony' }),
      problem,
    ]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void act('POST', 'close', { rationale: why.value || undefined }, 'Ceremony closed.', problem);
    });
    root.appendChild(form);
  }
}

/**
 * Every write carries If-Match (the version the page shows) and a fresh Idempotency-Key. A refusal
 * is shown in words where the user acted (`problem`, an alert); success in the page's status line.
 */
async function act(
  method: string,
  what: string,
  body: unknown,
  done: string,
  problem: HTMLElement,
): Promise<void> {
  const c = state.brief!.ceremony;
  problem.textContent = '';
  try {
    await api(method, `/api/v1/ceremonies/${c.ceremonyId}/${what}`, body, {
      'If-Match': `"${c.version}"`,
      'Idempotency-Key': idempotencyKey(Date.now(), Math.random()),
    });
    await load();
    say(done);
  } catch (e) {
    problem.textContent = (e as Error).message;
  }
}

$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const key = $<HTMLInputElement>('api-key');
  sessionStorage.setItem(KEY, key.value);
  key.value = '';
  $('signin-problem').hidden = true;
  void load();
});
$('signout').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.reload();
});
if (sessionStorage.getItem(KEY)) void load();
