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
  ['/operator', 'Operator'],
  ['/kpis', 'KPIs'],
  ['/runs', 'Runs'],
] as const;

/** One page: local assets only (the dashboard works offline), the CSRF token for the page's script. */
export const layout = (title: string, active: string, csrf: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(csrf)}">
<title>${esc(title)} - CAIO Alpha Swarm</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header><nav aria-label="Main">${NAV.map(([href, label]) => `<a href="${href}"${href === active ? ' aria-current="page"' : ''}>${label}</a>`).join('')}<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit">Log out</button></form></nav></header>
<main id="main">
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
  return `<svg role="img" aria-label="${esc(label)}" width="520" height="${bars.length * rowH + 4}" class="chart">${rows}</svg>`;
};

export const emptyState = (what: string, next: string) => `<p class="empty">${esc(what)} ${esc(next)}</p>`;
