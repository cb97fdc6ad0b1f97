import type { Brief } from './brief.types';

const money = (v: number | null, currency: string) =>
  v === null
    ? 'not estimated'
    : `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${Math.round(v * 1000) / 10} %`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The brief as Markdown, for meeting notes; a closed ceremony's brief reads as its minutes. */
export function briefToMarkdown(b: Brief): string {
  const c = b.ceremony;
  const out: string[] = [];
  out.push(`# ${c.title} — ${c.status === 'closed' ? 'minutes' : 'brief'}`, '');
  out.push(
    `Ceremony \`${c.ceremonyId}\`, scheduled ${c.scheduledFor}, ${c.status}${c.closedAt ? ` (closed ${c.closedAt})` : ''}. Health since ${b.since}.`,
    '',
  );

  const s = b.summary;
  const r = s.reliabilityShare;
  out.push(
    '## At stake',
    '',
    `- Models blocking adoption: ${s.blocking} of ${s.models}.`,
    `- Value at risk: ${money(s.valueAtRiskPerHour, b.currency)} per hour${s.unestimated ? ` (${s.unestimated} model(s) at risk not estimated: no profile)` : ''}.`,
    `- Reliability share: recommended ${r.recommended} %, planned ${r.planned === null ? 'not set' : `${r.planned} %`}, actual ${r.actual} %${r.committed === null ? '' : `, committed so far ${r.committed} %`}.`,
    `- Waiting for a decision: ${s.waiting.items} item(s), ${money(s.waiting.valueAtRiskPerHour, b.currency)} per hour at risk.`,
    s.previous
      ? `- ${s.previous.title}: ${s.previous.decisions} decision(s); incidents resolved ${s.previous.incidentsResolved}, still open ${s.previous.incidentsOpen}; deferring cost ${money(s.previous.costSince, b.currency)}.`
      : '- No previous ceremony.',
    '',
  );

  out.push('## 1. Model health since the last ceremony', '');
  out.push(
    '| model | blocks adoption | open incidents | latest accuracy | error ratio | slow ratio | drift | why |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const h of b.health) {
    const last = h.latest;
    out.push(
      `| ${h.modelId} | ${h.blocksAdoption ? 'yes' : 'no'} | ${h.openIncidents.map((i) => `${i.rule} (${i.severity})`).join(', ') || '–'} | ${pct(last?.accuracy)}${last?.estimatedAccuracy != null ? ` (estimated ${pct(last.estimatedAccuracy)})` : ''} | ${pct(last?.errorRatio)} | ${pct(last?.slowRatio)} | ${last?.driftScore ?? '–'} | ${cell(h.why.join('; ') || '–')} |`,
    );
  }
  const thresholdText = (t: Brief['thresholds']) =>
    `accuracy ≥ ${pct(t.accuracy)}, error ratio ≤ ${pct(t.errorRatio)}, slow ratio ≤ ${pct(t.slowRatio)}, drift < ${t.drift}`;
  out.push('', `Thresholds (the rules' defaults): ${thresholdText(b.thresholds)}.`);
  // A rules file may hold a model to other lines; the brief states them so no reader assumes 85 %.
  const defaults = thresholdText(b.thresholds);
  for (const h of b.health)
    if (thresholdText(h.thresholds) !== defaults)
      out.push(`Thresholds for ${h.modelId}: ${thresholdText(h.thresholds)}.`);
  out.push('');

  out.push('## 2. Value at risk and cost of delay', '');
  out.push('| model | value at risk per hour | cost of delay so far |', '|---|---|---|');
  for (const m of b.valueAtRisk.models)
    out.push(
      `| ${m.modelId} | ${money(m.perHour, b.currency)} | ${money(m.costOfDelay, b.currency)} |`,
    );
  out.push(
    '',
    '| open reliability item | model | rule | value at risk per hour | cost of delay |',
    '|---|---|---|---|---|',
  );
  for (const i of b.valueAtRisk.items)
    out.push(
      `| ${cell(i.title)} | ${i.modelId} | ${i.rule} | ${money(i.perHour, b.currency)} | ${money(i.costOfDelay, b.currency)} |`,
    );
  out.push('');

  out.push('## 3. Allocation', '');
  const planned = b.allocation.planned?.byBacklog.reliability;
  out.push(
    `Reliability share: planned ${planned === undefined ? 'not set' : `${planned} %`}, actual ${b.allocation.actual.reliability ?? 0} %, recommended ${b.allocation.recommendedReliability} %.${b.allocation.planned?.deviationRationale ? ` Deviation: ${b.allocation.planned.deviationRationale}` : ''}`,
    '',
  );
  if (b.allocation.history.length) {
    out.push(
      '| ceremony | closed | reliability share | deviation rationale |',
      '|---|---|---|---|',
    );
    for (const h of b.allocation.history)
      out.push(
        `| ${cell(h.title)} | ${h.closedAt ?? '–'} | ${h.reliability} % | ${cell(h.deviationRationale ?? '–')} |`,
      );
    out.push('');
  }

  out.push('## 4. Candidates by quadrant', '');
  for (const [q, list] of Object.entries(b.candidates)) {
    out.push(`### ${q}`, '');
    if (!list.length) out.push('None.', '');
    for (const i of list) {
      out.push(`- **${i.title}** (\`${i.itemId}\`, ${i.status}) — priority ${i.priorityScore}`);
      for (const e of i.explanation) out.push(`  - ${e}`);
    }
    out.push('');
  }

  out.push('## 5. Outcome of the previous ceremony', '');
  if (!b.previous) out.push('No previous ceremony.', '');
  else {
    out.push(
      `${b.previous.title}, closed ${b.previous.closedAt}.`,
      '',
      '| item | decided | now | incident resolved | cost since |',
      '|---|---|---|---|---|',
    );
    for (const o of b.previous.outcomes)
      out.push(
        `| ${cell(o.title)} | ${o.decision} | ${o.nowStatus} | ${o.incidentResolved === null ? '–' : o.incidentResolved ? 'yes' : 'no'} | ${money(o.costSince, b.currency)} |`,
      );
    out.push('');
  }

  out.push('## 6. Technical-debt audit', '');
  out.push('| model | coverage | failing checks |', '|---|---|---|');
  for (const a of b.audit.models)
    out.push(`| ${a.modelId} | ${pct(a.coverage)} | ${a.failing.join(', ') || '–'} |`);
  out.push('', `Open technical-debt items: ${b.audit.openDebtItems.length}.`, '');

  out.push(`## 7. Decisions${c.status === 'closed' ? '' : ' so far'}`, '');
  if (!b.decisions.length) out.push('None yet.', '');
  for (const d of b.decisions) {
    const cost = d.projectedCostOfDelay
      ? ` — projected cost until the next ceremony: ${money(d.projectedCostOfDelay.amount, d.projectedCostOfDelay.currency)}`
      : '';
    out.push(
      `- **${d.decision}** ${cell(d.title)} (\`${d.itemId}\`) by ${d.decidedBy}: ${d.rationale || '(no rationale)'}${cost}`,
    );
  }
  out.push('');
  return out.join('\n');
}
