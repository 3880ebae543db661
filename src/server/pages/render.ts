/** HTML escaping for every value that reaches a page. */
export const esc = (value: unknown): string =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const NAV = [
  ['/sales', 'Review queue'],
  ['/leads', 'Leads'],
  ['/replies', 'Replies'],
  ['/operator', 'Operator'],
  ['/kpis', 'KPIs'],
  ['/runs', 'Runs'],
  ['/agents', 'Agents'],
  ['/ask', 'Ask QUEEN'],
] as const;

/** The emergency stop in force, as the banner on every page shows it. */
export type StopBanner = { source: 'database' | 'environment'; reason: string | null; setBy: string; setAt: Date | null };

/** A time as UTC text; the page's script rewrites it in the viewer's local time. */
export const timeTag = (at: Date) => `<time datetime="${esc(at.toISOString())}">${esc(at.toISOString().replace('T', ' ').slice(0, 16))} UTC</time>`;

/**
 * The banner every page shows while the emergency stop is set: who, when and why (or that no
 * reason was given yet, with where to add one). Not a live region: it is there on load, not news.
 */
export const stopBanner = (stop: StopBanner | null): string =>
  stop
    ? `<section class="stop-banner" aria-label="Emergency stop"><strong>STOPPED: nothing is being sent.</strong> Emergency stop set by ${esc(stop.setBy)}${stop.setAt ? ` at ${timeTag(stop.setAt)}` : ''}. ${
        stop.reason ? `Reason: ${esc(stop.reason)}.` : 'No reason given yet: <a href="/operator#stop">add one on the Operator page</a>.'
      } <a href="/operator#stop">Resume on the Operator page</a>.</section>`
    : '';

/**
 * One page: local assets only (the dashboard works offline), the CSRF token for the page's script.
 * The menu button starts hidden with the nav open: app.js shows it and folds the nav on narrow
 * screens, so without the script the full nav (and Log out) is still there, wrapped.
 */
export const layout = (title: string, active: string, csrf: string, body: string, stop: StopBanner | null = null): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(csrf)}">
<title>${stop ? 'STOPPED - ' : ''}${esc(title)} - CAIO Alpha Swarm</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header><button type="button" class="menu-toggle" aria-expanded="true" aria-controls="main-nav" hidden>Menu</button><nav id="main-nav" aria-label="Main">${NAV.map(([href, label]) => `<a href="${href}"${href === active ? ' aria-current="page"' : ''}>${label}</a>`).join('')}<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit">Log out</button></form></nav></header>
<main id="main" tabindex="-1">
${stopBanner(stop)}
<h1>${esc(title)}</h1>
<p id="status" role="status" aria-live="polite"></p>
${body}
</main>
<script src="/assets/app.js"></script>
</body>
</html>`;

/** A horizontal bar chart as inline SVG (no chart library, nothing to download). */
export const barChart = (label: string, bars: { name: string; value: number; target?: number | null }[], format: (v: number) => string = String): string => {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.target ?? 0)));
  const rowH = 28;
  const rows = bars
    .map((b, i) => {
      const w = Math.round((b.value / max) * 300);
      const t = b.target != null ? Math.round((b.target / max) * 300) : null;
      return `<g transform="translate(0 ${i * rowH})"><text x="0" y="18">${esc(b.name)}</text><rect x="130" y="5" width="${w}" height="16" class="bar"></rect>${t !== null ? `<line x1="${130 + t}" x2="${130 + t}" y1="2" y2="24" class="target"></line>` : ''}<text x="${140 + w}" y="18">${esc(format(b.value))}</text></g>`;
    })
    .join('');
  return `<svg role="img" aria-label="${esc(label)}" width="520" height="${bars.length * rowH + 4}" viewBox="0 0 520 ${bars.length * rowH + 4}" class="chart"><title>${esc(`${label}: ${bars.map((b) => `${b.name} ${format(b.value)}`).join(', ')}`)}</title>${rows}</svg>`;
};

export const emptyState = (what: string, next: string) => `<p class="empty">${esc(what)} ${esc(next)}</p>`;

/**
 * A line chart of one rate over days as inline SVG, with its target as a dashed line; missing points
 * (nothing sent in the window) break the line.
 */
export const lineChart = (label: string, points: { day: string; value: number | null }[], target: number, format: (v: number) => string): string => {
  const w = 480;
  const h = 120;
  const left = 44;
  const max = Math.max(target * 1.25, ...points.map((p) => p.value ?? 0), 0.0001);
  const x = (i: number) => left + (points.length > 1 ? (i / (points.length - 1)) * (w - left - 8) : 0);
  const y = (v: number) => 8 + (1 - v / max) * (h - 30);
  const segments: string[] = [];
  let run: string[] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (run.length) segments.push(run.join(' '));
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  if (run.length) segments.push(run.join(' '));
  const last = [...points].reverse().find((p) => p.value !== null);
  const summary = `${label}: latest ${last ? format(last.value!) : 'n/a'}, target ${format(target)}`;
  return `<figure class="line-chart"><svg role="img" aria-label="${esc(summary)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" class="chart"><title>${esc(summary)}</title>
<line x1="${left}" x2="${w - 8}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" class="target-line"></line>
<text x="0" y="${(y(target) + 4).toFixed(1)}">${esc(format(target))}</text>
${segments.map((s) => (s.includes(' ') ? `<polyline points="${s}" class="series"></polyline>` : `<circle cx="${s.split(',')[0]}" cy="${s.split(',')[1]}" r="2.5" class="dot"></circle>`)).join('')}
<text x="${left}" y="${h - 4}">${esc(points[0]?.day ?? '')}</text><text x="${w - 8}" y="${h - 4}" text-anchor="end">${esc(points.at(-1)?.day ?? '')}</text>
</svg><figcaption>${esc(label)}</figcaption></figure>`;
};
