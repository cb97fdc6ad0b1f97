/**
 * The ceremony brief page: a static shell (no data, no key) served at /brief/<ceremonyId> and
 * /brief/next. Its script asks for an API key, keeps it in sessionStorage (never in a URL, a
 * cookie or a log), reads GET /api/v1/ceremonies/{id}/brief with it and acts through the same
 * REST API — so every rule of the API (roles, If-Match, Idempotency-Key, problem+json) applies.
 */
export function briefPageHtml(ceremonyId: string): string {
  const id = /^[0-9a-f-]{36}$|^next$/.test(ceremonyId) ? ceremonyId : 'next';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ceremony brief — Fulcrum</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/brief-assets/brief.css">
<script type="module" src="/brief-assets/brief.js"></script>
</head>
<body data-ceremony="${id}">
<a class="skip" href="#main">Skip to the brief</a>
<header>
  <div class="head">
    <div>
      <h1 id="title">Ceremony brief</h1>
      <p id="subtitle"></p>
    </div>
    <button id="signout" type="button" hidden>Sign out</button>
  </div>
  <nav id="sections" aria-label="Sections of the brief" hidden>
    <ul>
      <li><a href="#stake-h">At stake</a></li>
      <li><a href="#decide-h">Decide</a></li>
      <li><a href="#models-h">Models</a></li>
      <li><a href="#impact-h">Value at risk</a></li>
      <li><a href="#allocation-h">Allocation</a></li>
      <li><a href="#previous-h">Last ceremony</a></li>
      <li><a href="#audit-h">Audit</a></li>
      <li><a href="#decisions-h">Decisions</a></li>
    </ul>
  </nav>
</header>
<main id="main" tabindex="-1">
  <section id="signin" aria-labelledby="signin-h">
    <h2 id="signin-h">Sign in</h2>
    <form id="signin-form">
      <label for="api-key">API key (viewer to read, editor to decide)</label>
      <input id="api-key" name="api-key" type="password" autocomplete="off" required>
      <button type="submit">Show the brief</button>
      <p id="signin-problem" class="problem" role="alert" hidden></p>
    </form>
  </section>
  <p id="status" role="status" aria-live="polite"></p>
  <div id="brief" hidden>
    <section aria-labelledby="stake-h"><h2 id="stake-h" tabindex="-1">At stake</h2><div id="stake"></div></section>
    <section id="decide-s" aria-labelledby="decide-h"><h2 id="decide-h" tabindex="-1">Decide</h2><div id="decide"></div></section>
    <section aria-labelledby="models-h">
      <h2 id="models-h" tabindex="-1">Models</h2>
      <div id="models-filter"></div>
      <p id="models-count" role="status" aria-live="polite"></p>
      <div id="models-table"></div>
      <h3>Hourly trends</h3>
      <div id="models-charts"></div>
    </section>
    <section aria-labelledby="impact-h"><h2 id="impact-h" tabindex="-1">Value at risk and cost of delay</h2><div id="impact"></div></section>
    <section aria-labelledby="allocation-h"><h2 id="allocation-h" tabindex="-1">Allocation</h2><div id="allocation"></div></section>
    <section aria-labelledby="previous-h"><h2 id="previous-h" tabindex="-1">Outcome of the previous ceremony</h2><div id="previous"></div></section>
    <section aria-labelledby="audit-h"><h2 id="audit-h" tabindex="-1">Technical-debt audit</h2><div id="audit"></div></section>
    <section aria-labelledby="decisions-h"><h2 id="decisions-h" tabindex="-1">Decisions of this ceremony</h2><div id="decisions"></div></section>
  </div>
</main>
</body>
</html>
`;
}

export const BRIEF_CSS = `
:root { --fg: #1b1f24; --muted: #4a5360; --bg: #ffffff; --line: #c9d1d9; --soft: #eef2f6; --accent: #0b5cad; --bad: #a4161a; --ok: #1e6b2f; --focus: #b35c00; }
* { box-sizing: border-box; }
html { scroll-padding-top: 1rem; }
body { margin: 0; font: 16px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: break-word; }
header, main { max-width: 1240px; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: var(--accent); color: #fff; padding: 0.4rem 0.8rem; z-index: 10; }
.skip:focus { top: 0.5rem; }
.head { display: flex; justify-content: space-between; align-items: start; gap: 1rem; }
h1 { font-size: 1.6rem; margin: 0.8rem 0 0.1rem; }
h2 { font-size: 1.3rem; margin: 1.6rem 0 0.6rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.1rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0 0 0.2rem; }
p#subtitle { color: var(--muted); margin: 0 0 0.4rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; padding: 0.3rem 0; margin: 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
#stake-h { margin-top: 0.6rem; }
.tiles { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 0.7rem; }
.tile a { display: flex; flex-direction: column; height: 100%; padding: 0.7rem 0.9rem; border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 6px; text-decoration: none; color: var(--fg); }
.tile.tone-bad a { border-left-color: var(--bad); }
.tile.tone-ok a { border-left-color: var(--ok); }
.tile a:hover { background: var(--soft); }
.tile .figure { font-size: 1.5rem; font-weight: 700; }
.tile .label { font-weight: 600; }
.tile .detail { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bad { color: var(--bad); font-weight: 600; }
.ok { color: var(--ok); }
ul.why { margin: 0.2rem 0 0; padding-left: 1.1rem; color: var(--muted); font-size: 0.92rem; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0.7rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; }
.card .facts { margin: 0 0 0.3rem; color: var(--muted); }
.card .facts strong { color: var(--fg); }
.meter p { margin: 0 0 0.3rem; font-weight: 600; }
.bar { position: relative; height: 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; max-width: 480px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 6px; }
.bar .mark { position: absolute; top: -4px; bottom: -4px; width: 3px; background: var(--fg); }
.hint { color: var(--muted); }
.preview { flex-basis: 100%; margin: 0.2rem 0 0; color: var(--muted); font-size: 0.92rem; }
.preview:empty, .problem:empty { display: none; }
.problem { flex-basis: 100%; margin: 0.3rem 0 0; color: var(--bad); font-weight: 600; }
form.inline, form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
form.inline input[type=text] { min-width: 10rem; flex: 1; }
label { display: block; font-weight: 600; }
input, select, button { font: inherit; padding: 0.3rem 0.5rem; max-width: 100%; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button.more { background: var(--soft); color: var(--accent); border: 1px solid var(--line); margin: 0.2rem 0 0.8rem; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; padding: 0; margin: 0.3rem 0 0.6rem; font-size: 0.9rem; }
.legend li { display: flex; align-items: center; gap: 0.35rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 0.8rem; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0; }
.chart figcaption { font-weight: 600; }
svg.trend { width: 100%; height: auto; display: block; }
svg.trend .plot { fill: #fafbfc; stroke: var(--line); }
svg.trend .series { fill: none; stroke-width: 1.8; }
svg.trend .threshold { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 6 3; }
svg.trend text { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg.trend text.strip { font-weight: 600; fill: var(--fg); }
svg.trend text.end { text-anchor: end; }
svg.trend text.mid { text-anchor: middle; }
details summary { cursor: pointer; color: var(--accent); }
#status { min-height: 1.4rem; font-weight: 600; margin: 0.3rem 0; }
@media (max-width: 800px) {
  table, thead, tbody, tr, td, caption { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.6rem; padding: 0.3rem 0.5rem; }
  td { border: 0; padding: 0.15rem 0; overflow-wrap: anywhere; display: grid; grid-template-columns: minmax(7rem, 40%) 1fr; gap: 0.5rem; }
  td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  td.num { text-align: left; white-space: normal; }
  .head { flex-direction: column; gap: 0; }
}
@media print { button, form, #signin, nav, .skip { display: none; } }
`;
