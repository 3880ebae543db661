import { FUNNEL_STEPS, type FunnelCounts, type MetricComparison } from '../../domain/learning/index.js';
import { esc } from './render.js';

/**
 * The /kpis pictures beside render.ts's bar and line charts (issue 20 item 5): inline SVG, no
 * library and nothing to download. Each has a <title> and <desc> the screen reader announces
 * (role="img", aria-labelledby) and the same numbers as a table under a <details>, and a viewBox
 * 400 units wide, so at a 390-pixel phone it scales to the width with its text still ~11 px.
 */

const W = 400;
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const svg = (id: string, title: string, desc: string, height: number, body: string) =>
  `<svg role="img" aria-labelledby="${id}-t ${id}-d" id="${id}" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" class="chart" preserveAspectRatio="xMinYMin meet"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${body}</svg>`;

const dataTable = (caption: string, head: string[], rows: (string | number)[][]) =>
  `<details class="chart-data"><summary>${esc(caption)} as a table</summary><table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody></table></details>`;

/**
 * The funnel: how many of the leads discovered in the window reached each step (discovered →
 * scored → drafted → approved → contacted → replied → meeting), each bar with its count and the
 * share of the step before.
 */
export const funnelChart = (id: string, title: string, counts: FunnelCounts): string => {
  const rowH = 26;
  const left = 104;
  const barMax = 206;
  const max = Math.max(1, counts.discovered, ...FUNNEL_STEPS.map(([k]) => counts[k]));
  const steps = FUNNEL_STEPS.map(([key, name], i) => {
    const prev = i === 0 ? null : counts[FUNNEL_STEPS[i - 1]![0]];
    const ofPrev = prev === null ? null : prev > 0 ? counts[key] / prev : null;
    return { key, name, n: counts[key], ofPrev };
  });
  const rows = steps
    .map((s, i) => {
      const w = Math.round((s.n / max) * barMax);
      const x = left + Math.round((barMax - w) / 2);
      const note = `${s.n.toLocaleString('en-US')}${s.ofPrev === null ? '' : ` · ${Math.round(s.ofPrev * 100)} %`}`;
      return `<g transform="translate(0 ${i * rowH})" data-step="${s.key}"><title>${esc(`${s.name}: ${s.n}${s.ofPrev === null ? '' : ` (${pct(s.ofPrev)} of the step before)`}`)}</title><text x="0" y="17">${esc(s.name)}</text><rect x="${x}" y="4" width="${Math.max(w, 1)}" height="18" class="bar"></rect><text x="${left + barMax + 6}" y="17">${esc(note)}</text></g>`;
    })
    .join('');
  const desc = steps.map((s) => `${s.name} ${s.n}${s.ofPrev === null ? '' : ` (${pct(s.ofPrev)} of the step before)`}`).join(', ');
  return `<figure class="funnel-chart">${svg(id, title, desc, steps.length * rowH + 4, rows)}<figcaption>${esc(title)}</figcaption>${dataTable(
    title,
    ['Step', 'Leads', 'Of the step before'],
    steps.map((s) => [s.name, s.n, s.ofPrev === null ? '-' : pct(s.ofPrev)]),
  )}</figure>`;
};

/**
 * One rate per arm (subject variant or angle) as a dot with its interval as a whisker, on a shared
 * axis from 0; the verdict ("B wins replies…", "not enough data…") is the caption.
 */
export const intervalChart = (id: string, title: string, c: MetricComparison, nameOf: (n: string) => string = (n) => n): string => {
  const rowH = 26;
  const left = 112;
  const plot = 180;
  const arms = c.arms;
  const top = Math.max(0.05, ...arms.filter((a) => a.n > 0).map((a) => a.interval.high));
  const max = Math.min(1, Math.ceil(top * 10) / 10);
  const x = (v: number) => (left + (Math.min(v, max) / max) * plot).toFixed(1);
  const axisY = arms.length * rowH + 4;
  const rows = arms
    .map((a, i) => {
      const label = `${nameOf(a.name)}: ${a.n === 0 ? 'nothing sent' : `${pct(a.rate)} [${pct(a.interval.low)}, ${pct(a.interval.high)}], ${a.successes} of ${a.n}`}`;
      const mark =
        a.n === 0 || a.rate === null
          ? `<text x="${left}" y="17" class="meta">nothing sent</text>`
          : `<line x1="${x(a.interval.low)}" x2="${x(a.interval.high)}" y1="13" y2="13" class="whisker" stroke="#57606a" stroke-width="2"></line><line x1="${x(a.interval.low)}" x2="${x(a.interval.low)}" y1="8" y2="18" class="whisker" stroke="#57606a" stroke-width="2"></line><line x1="${x(a.interval.high)}" x2="${x(a.interval.high)}" y1="8" y2="18" class="whisker" stroke="#57606a" stroke-width="2"></line><circle cx="${x(a.rate)}" cy="13" r="4" class="dot"></circle>`;
      return `<g transform="translate(0 ${i * rowH})" data-arm="${esc(a.name)}"><title>${esc(label)}</title><text x="0" y="17">${esc(short(nameOf(a.name), 17))}</text>${mark}<text x="${left + plot + 8}" y="17">${esc(a.n === 0 ? '' : `${pct(a.rate)} (${a.n})`)}</text></g>`;
    })
    .join('');
  const axis = `<line x1="${left}" x2="${left + plot}" y1="${axisY}" y2="${axisY}" class="axis" stroke="#8c959f"></line><text x="${left}" y="${axisY + 14}" text-anchor="middle">0 %</text><text x="${left + plot}" y="${axisY + 14}" text-anchor="middle">${esc(pct(max).replace('.0 %', ' %'))}</text>`;
  const desc = `${arms.map((a) => `${nameOf(a.name)}: ${a.n === 0 ? 'nothing sent' : `${pct(a.rate)}, interval ${pct(a.interval.low)} to ${pct(a.interval.high)}, ${a.successes} of ${a.n}`}`).join('; ')}. ${c.text}.`;
  return `<figure class="interval-chart" data-verdict="${esc(c.verdict.kind)}">${svg(id, title, desc, axisY + 20, rows + axis)}<figcaption>${esc(title)}: <strong>${esc(c.text)}</strong></figcaption>${dataTable(
    title,
    ['Arm', 'Sent', 'With', 'Rate', 'Interval'],
    arms.map((a) => [nameOf(a.name), a.n, a.successes, pct(a.rate), a.n === 0 ? '-' : `${pct(a.interval.low)} to ${pct(a.interval.high)}`]),
  )}</figure>`;
};
