/**
 * The page's script, served as /brief-assets/brief.js. Plain browser JavaScript (no build step):
 * it renders the JSON brief with DOM calls (never innerHTML with data) and acts through the REST
 * API, showing a problem's `detail` in words.
 */
export const BRIEF_JS = String.raw`
'use strict';
(function () {
  var KEY = 'fulcrum.apiKey';
  var body = document.body;
  var requested = body.getAttribute('data-ceremony');
  var state = { brief: null };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function money(v, cur) { return v === null || v === undefined ? 'not estimated' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }) + ' ' + cur; }
  function pct(v) { return v === null || v === undefined ? '–' : (Math.round(v * 1000) / 10) + ' %'; }
  function table(caption, heads, rows) {
    var t = el('table', {}, [el('caption', { text: caption })]);
    t.appendChild(el('thead', {}, [el('tr', {}, heads.map(function (h) { return el('th', { scope: 'col', text: h }); }))]));
    var tb = el('tbody');
    rows.forEach(function (r) {
      tb.appendChild(el('tr', {}, r.map(function (c) {
        if (c && c.nodeType) return el('td', {}, [c]);
        if (c && typeof c === 'object') return el('td', c);
        return el('td', { text: String(c) });
      })));
    });
    t.appendChild(tb);
    return t;
  }
  function say(text, isError) {
    var s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }

  async function api(method, path, bodyObj, headers) {
    var h = Object.assign({ Authorization: 'Bearer ' + sessionStorage.getItem(KEY) }, headers || {});
    if (bodyObj !== undefined) h['Content-Type'] = 'application/json';
    var res = await fetch(path, { method: method, headers: h, body: bodyObj === undefined ? undefined : JSON.stringify(bodyObj) });
    var type = res.headers.get('content-type') || '';
    var data = type.indexOf('json') >= 0 ? await res.json() : await res.text();
    if (!res.ok) {
      var detail = data && data.detail ? data.detail : 'the request failed (' + res.status + ')';
      throw new Error(detail);
    }
    return data;
  }

  async function load() {
    var path = '/api/v1/ceremonies/' + (state.brief ? state.brief.ceremony.ceremonyId : requested) + '/brief';
    try {
      state.brief = await api('GET', path);
    } catch (e) {
      say(e.message, true);
      return;
    }
    $('signin').hidden = true;
    $('signout').hidden = false;
    $('brief').hidden = false;
    render(state.brief);
  }

  function render(b) {
    var c = b.ceremony;
    $('title').textContent = c.title;
    document.title = c.title + ' — ceremony brief';
    $('subtitle').textContent = 'Ceremony ' + c.status + ', scheduled ' + c.scheduledFor.slice(0, 16).replace('T', ' ') + ' UTC; health since ' + b.since.slice(0, 16).replace('T', ' ') + ' UTC.';
    renderHealth(b);
    renderImpact(b);
    renderAllocation(b);
    renderCandidates(b);
    renderPrevious(b);
    renderAudit(b);
    renderDecisions(b);
  }

  function renderHealth(b) {
    var root = $('health');
    root.replaceChildren();
    root.appendChild(table('Models', ['model', 'blocks adoption', 'open incidents', 'why'], b.health.map(function (h) {
      return [h.modelId, h.blocksAdoption ? { text: 'yes', className: 'bad' } : 'no',
        h.openIncidents.map(function (i) { return i.rule + ' (' + i.severity + ')'; }).join(', ') || '–',
        el('ul', { className: 'why' }, h.why.map(function (w) { return el('li', { text: w }); }))];
    })));
    var grid = el('div', { className: 'charts' });
    root.appendChild(grid);
    b.health.forEach(function (h) {
      if (!h.trend.length || !window.Chart) return;
      var canvas = el('canvas', { role: 'img', 'aria-label': 'Hourly trend of ' + h.modelId + ': accuracy, error ratio, slow ratio and drift score against their thresholds' });
      grid.appendChild(el('figure', { className: 'chart' }, [canvas, el('figcaption', { text: h.modelId + ' — hourly, since the last ceremony' })]));
      var labels = h.trend.map(function (p) { return p.hour.slice(5, 13).replace('T', ' '); });
      var line = function (label, data, color, dash) { return { label: label, data: data, borderColor: color, backgroundColor: color, borderDash: dash || [], pointRadius: 0, spanGaps: true }; };
      new window.Chart(canvas, {
        type: 'line',
        data: { labels: labels, datasets: [
          line('accuracy', h.trend.map(function (p) { return p.accuracy; }), '#0b5cad'),
          line('accuracy threshold ' + (h.thresholds || b.thresholds).accuracy, h.trend.map(function () { return (h.thresholds || b.thresholds).accuracy; }), '#0b5cad', [6, 4]),
          line('error ratio', h.trend.map(function (p) { return p.errorRatio; }), '#a4161a'),
          line('slow ratio', h.trend.map(function (p) { return p.slowRatio; }), '#7a4b00'),
          line('slow-ratio target', h.trend.map(function () { return (h.thresholds || b.thresholds).slowRatio; }), '#7a4b00', [6, 4]),
          line('drift score', h.trend.map(function (p) { return p.driftScore; }), '#5b2a86'),
        ] },
        options: { animation: false, responsive: true, scales: { y: { min: 0, max: 1 } }, plugins: { legend: { labels: { boxWidth: 12 } } } },
      });
    });
  }

  function renderImpact(b) {
    var root = $('impact');
    root.replaceChildren(
      table('Value at risk per model', ['model', 'value at risk per hour', 'cost of delay so far'], b.valueAtRisk.models.map(function (m) {
        return [m.modelId, { text: money(m.perHour, b.currency), className: 'num', 'data-var': m.modelId }, { text: money(m.costOfDelay, b.currency), className: 'num' }];
      })),
      table('Open reliability items', ['item', 'model', 'rule', 'value at risk per hour', 'cost of delay'], b.valueAtRisk.items.map(function (i) {
        return [i.title, i.modelId, i.rule, { text: money(i.perHour, b.currency), className: 'num' }, { text: money(i.costOfDelay, b.currency), className: 'num', 'data-cod': i.itemId }];
      })),
    );
  }

  function renderAllocation(b) {
    var a = b.allocation;
    var root = $('allocation');
    root.replaceChildren(
      table('Reliability share (percent)', ['planned', 'actual', 'recommended'], [[
        { text: a.planned ? String(a.planned.byBacklog.reliability) : 'not set', className: 'num', 'data-alloc': 'planned' },
        { text: String(a.actual.reliability || 0), className: 'num', 'data-alloc': 'actual' },
        { text: String(a.recommendedReliability), className: 'num', 'data-alloc': 'recommended' },
      ]]),
    );
    if (a.history.length)
      root.appendChild(table('Past ceremonies', ['ceremony', 'closed', 'reliability share', 'deviation rationale'], a.history.map(function (h) {
        return [h.title, (h.closedAt || '–').slice(0, 10), h.reliability + ' %', h.deviationRationale || '–'];
      })));
    if (b.ceremony.status === 'open') root.appendChild(allocationForm(b));
  }

  function field(id, label, value, type) {
    var input = el('input', { id: id, name: id, type: type || 'number', value: String(value), min: '0', max: '100', step: 'any' });
    return el('div', {}, [el('label', { for: id, text: label }), input]);
  }

  function allocationForm(b) {
    var rec = b.allocation.recommendedReliability;
    var form = el('form', { className: 'inline', id: 'allocation-form', 'aria-label': 'Set the allocation' }, [
      field('a-capability', 'capability %', 100 - rec), field('a-reliability', 'reliability %', rec),
      field('a-critical-feature', 'critical features %', 100 - rec), field('a-innovation', 'innovation %', 0),
      field('a-model-hygiene', 'model hygiene %', rec), field('a-technical-debt', 'technical debt %', 0),
      field('a-deviation', 'deviation rationale (if below the recommendation)', '', 'text'),
      el('button', { type: 'submit', text: 'Set allocation' }),
    ]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var n = function (id) { return Number($(id).value); };
      act('PUT', 'allocation', {
        byBacklog: { capability: n('a-capability'), reliability: n('a-reliability') },
        byQuadrant: { 'critical-feature': n('a-critical-feature'), innovation: n('a-innovation'), 'model-hygiene': n('a-model-hygiene'), 'technical-debt': n('a-technical-debt') },
        deviationRationale: $('a-deviation').value || undefined,
      }, 'Allocation set.');
    });
    return form;
  }

  function renderCandidates(b) {
    var root = $('candidates');
    root.replaceChildren();
    Object.keys(b.candidates).forEach(function (q) {
      root.appendChild(el('h3', { text: q }));
      var list = b.candidates[q];
      if (!list.length) { root.appendChild(el('p', { text: 'None.' })); return; }
      root.appendChild(table(q + ' candidates, highest priority first', ['item', 'status', 'priority', 'why', 'decide'], list.map(function (i) {
        return [i.title, i.status, { text: String(i.priorityScore), className: 'num', 'data-priority': i.itemId },
          el('ul', { className: 'why' }, i.explanation.map(function (w) { return el('li', { text: w }); })),
          b.ceremony.status === 'open' ? decisionForm(i) : '–'];
      })));
    });
  }

  function decisionForm(i) {
    var sel = el('select', { id: 'd-' + i.itemId, 'aria-label': 'Decision on ' + i.title }, ['commit', 'defer', 'drop'].map(function (d) { return el('option', { value: d, text: d }); }));
    var why = el('input', { id: 'r-' + i.itemId, type: 'text', 'aria-label': 'Rationale for ' + i.title, placeholder: 'rationale' });
    var form = el('form', { className: 'inline', 'data-decide': i.itemId }, [sel, why, el('button', { type: 'submit', text: 'Record' })]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      act('POST', 'decisions', { itemId: i.itemId, decision: sel.value, rationale: why.value }, 'Decision recorded: ' + sel.value + ' ' + i.title + '.');
    });
    return form;
  }

  function renderPrevious(b) {
    var root = $('previous');
    if (!b.previous) { root.replaceChildren(el('p', { text: 'No previous ceremony.' })); return; }
    root.replaceChildren(table(b.previous.title + ' (closed ' + (b.previous.closedAt || '').slice(0, 10) + ')', ['item', 'decided', 'now', 'incident resolved', 'cost since'], b.previous.outcomes.map(function (o) {
      return [o.title, o.decision, o.nowStatus, o.incidentResolved === null ? '–' : o.incidentResolved ? 'yes' : 'no', { text: money(o.costSince, b.currency), className: 'num' }];
    })));
  }

  function renderAudit(b) {
    $('audit').replaceChildren(
      table('Monitoring coverage per model', ['model', 'coverage', 'failing checks'], b.audit.models.map(function (a) {
        return [a.modelId, { text: pct(a.coverage), className: 'num', 'data-coverage': a.modelId }, a.failing.join(', ') || '–'];
      })),
      el('p', { text: 'Open technical-debt items: ' + b.audit.openDebtItems.length + '.' }),
    );
  }

  function renderDecisions(b) {
    var root = $('decisions');
    root.replaceChildren(b.decisions.length ? table('Decisions', ['decision', 'item', 'by', 'rationale', 'projected cost until the next ceremony'], b.decisions.map(function (d) {
      return [d.decision, d.itemId, d.decidedBy, d.rationale || '–', d.projectedCostOfDelay ? money(d.projectedCostOfDelay.amount, d.projectedCostOfDelay.currency) : '–'];
    })) : el('p', { text: 'None yet.' }));
    var c = b.ceremony;
    if (c.status === 'scheduled') {
      var open = el('button', { type: 'button', id: 'open-ceremony', text: 'Open the ceremony' });
      open.addEventListener('click', function () { act('POST', 'open', undefined, 'Ceremony opened.'); });
      root.appendChild(open);
    }
    if (c.status === 'open') {
      var why = el('input', { id: 'close-rationale', type: 'text' });
      var form = el('form', { className: 'inline', id: 'close-form' }, [el('div', {}, [el('label', { for: 'close-rationale', text: 'closing rationale' }), why]), el('button', { type: 'submit', text: 'Close the ceremony' })]);
      form.addEventListener('submit', function (ev) { ev.preventDefault(); act('POST', 'close', { rationale: why.value || undefined }, 'Ceremony closed.'); });
      root.appendChild(form);
    }
  }

  // Every write carries If-Match (the version the page shows) and a fresh Idempotency-Key.
  async function act(method, what, bodyObj, done) {
    var c = state.brief.ceremony;
    try {
      await api(method, '/api/v1/ceremonies/' + c.ceremonyId + '/' + what, bodyObj, {
        'If-Match': '"' + c.version + '"',
        'Idempotency-Key': 'brief-' + Date.now() + '-' + Math.random().toString(36).slice(2, 10),
      });
      await load();
      say(done, false);
    } catch (e) {
      say(e.message, true);
    }
  }

  $('signin-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $('api-key').value);
    $('api-key').value = '';
    load();
  });
  $('signout').addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
  if (sessionStorage.getItem(KEY)) load();
})();
`;
