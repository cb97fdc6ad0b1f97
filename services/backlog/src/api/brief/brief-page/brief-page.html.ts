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
<script src="/brief-assets/chart.umd.js" defer></script>
<script type="module" src="/brief-assets/brief.js"></script>
</head>
<body data-ceremony="${id}">
<header>
  <h1 id="title">Ceremony brief</h1>
  <p id="subtitle"></p>
</header>
<main>
  <section id="signin" aria-labelledby="signin-h">
    <h2 id="signin-h">Sign in</h2>
    <form id="signin-form">
      <label for="api-key">API key (viewer to read, editor to decide)</label>
      <input id="api-key" name="api-key" type="password" autocomplete="off" required>
      <button type="submit">Show the brief</button>
    </form>
  </section>
  <p id="status" role="status" aria-live="polite"></p>
  <div id="brief" hidden>
    <section aria-labelledby="h1"><h2 id="h1">1. Model health since the last ceremony</h2><div id="health"></div></section>
    <section aria-labelledby="h2"><h2 id="h2">2. Value at risk and cost of delay</h2><div id="impact"></div></section>
    <section aria-labelledby="h3"><h2 id="h3">3. Allocation</h2><div id="allocation"></div></section>
    <section aria-labelledby="h4"><h2 id="h4">4. Candidates by quadrant</h2><div id="candidates"></div></section>
    <section aria-labelledby="h5"><h2 id="h5">5. Outcome of the previous ceremony</h2><div id="previous"></div></section>
    <section aria-labelledby="h6"><h2 id="h6">6. Technical-debt audit</h2><div id="audit"></div></section>
    <section aria-labelledby="h7"><h2 id="h7">7. Decisions of this ceremony</h2><div id="decisions"></div></section>
  </div>
  <button id="signout" type="button" hidden>Sign out</button>
</main>
</body>
</html>
`;
}

export const BRIEF_CSS = `
:root { --fg: #1b1f24; --muted: #4a5360; --bg: #ffffff; --line: #c9d1d9; --accent: #0b5cad; --bad: #a4161a; --ok: #1e6b2f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1.25rem; }
h1 { font-size: 1.8rem; margin: 1.2rem 0 0.2rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
p#subtitle { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: var(--bad); font-weight: 600; }
.ok { color: var(--ok); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; }
.chart { border: 1px solid var(--line); padding: 0.5rem; }
ul.why { margin: 0.2rem 0 0; padding-left: 1.2rem; color: var(--muted); }
form.inline { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: end; }
label { display: block; font-weight: 600; }
input, select, button { font: inherit; padding: 0.3rem 0.5rem; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
#status { min-height: 1.5rem; font-weight: 600; }
#status.error { color: var(--bad); }
@media print { button, form, #signin { display: none; } }
`;
