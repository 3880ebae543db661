import { REVIEW_JS } from './review-assets.js';

/** The dashboard's one stylesheet and one script, served from here (no CDN, works offline). */
export const APP_CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
header{background:#24292f}
header nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.6rem 1rem}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem}header a[aria-current=page]{border-bottom:2px solid #fff}
header a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus,tr[tabindex]:focus{outline:3px solid #0969da;outline-offset:2px}
header a:focus,header button:focus{outline-color:#fff}
.logout{margin-left:auto}
.menu-toggle{margin:.5rem 1rem;background:#fff;color:#24292f;border:0;border-radius:4px;font:inherit;min-height:2.5rem;padding:.3rem 1rem}
main{padding:1rem 1.5rem;max-width:1100px;overflow-wrap:break-word}
input,select,textarea{max-width:100%;box-sizing:border-box}
pre,code,.meta,.stop-banner,h1,h2,h3{overflow-wrap:anywhere}
table{display:block;width:max-content;max-width:100%;overflow-x:auto}
svg.chart{max-width:100%;height:auto}.line-chart{max-width:100%}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:.8rem 0}
.meta{color:#57606a;font-size:.9rem}
pre.body{white-space:pre-wrap;font-family:inherit;background:#f6f8fa;padding:.6rem}
button{cursor:pointer;padding:.35rem .8rem;margin-right:.4rem}
button.danger{background:#cf222e;color:#fff;border:0}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
.chart .bar{fill:#0969da}.chart .series{fill:none;stroke:#0969da;stroke-width:2}.chart .dot{fill:#0969da}.chart .target-line{stroke:#cf222e;stroke-dasharray:4 3}
.line-chart{display:inline-block;margin:.4rem 1rem .4rem 0}.line-chart figcaption{font-size:.9rem}.miss{color:#cf222e;font-weight:600}.chart .target{stroke:#cf222e;stroke-width:2}.chart text{font-size:12px}
.empty{color:#57606a;font-style:italic}
label{display:block;margin:.4rem 0 .1rem}
.skip-link{position:absolute;left:-9999px;top:0;background:#fff;color:#0969da;padding:.5rem 1rem;z-index:10}.skip-link:focus{left:1rem;outline:3px solid #0969da}
.stop-banner{background:#cf222e;color:#fff;padding:.7rem 1rem;border-radius:6px;margin:.4rem 0 .8rem}.stop-banner a{color:#fff;text-decoration:underline}
.card.draft:focus-within{border-color:#0969da;box-shadow:0 0 0 3px #0969da66}.card.draft:focus{outline:none}
.card.decided{opacity:.85}.outcome:empty{display:none}.outcome{font-weight:600;margin:.3rem 0}
.counters span{margin-right:1rem}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.draft input,.draft textarea{width:100%;max-width:60rem;box-sizing:border-box}
@media (min-width:48.01rem){.menu-toggle{display:none}}
@media (max-width:48rem){
.menu-toggle[aria-expanded=false]+nav{display:none}
header nav{flex-direction:column;align-items:stretch;gap:0;padding:0 0 .5rem}
header nav a,header nav .logout{padding:.6rem 1rem;margin:0}
header nav a[aria-current=page]{border-bottom:0;border-left:4px solid #fff}
main{padding:.8rem .75rem}
.card{padding:.75rem}
button{min-height:2.5rem}
button,input,select,textarea{font-size:1rem}
html:has(.card.draft){scroll-padding-bottom:11rem}
.card.draft .actions:not([hidden]){position:sticky;bottom:0;z-index:1;background:#fff;border-top:1px solid #d0d7de;margin:0 -.75rem -.75rem;padding:.5rem .75rem;box-shadow:0 -4px 8px #1b1f2314;display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:center}
.card.draft .actions:has(details[open]){position:static;box-shadow:none}
.card.draft .actions details[open],.card.draft .actions form.reject{flex-basis:100%}
.card.draft .actions form.reject{display:grid;grid-auto-flow:column;grid-template-rows:auto auto;grid-template-columns:minmax(0,1fr) minmax(0,1fr) auto;gap:.1rem .5rem;align-items:end}
.card.draft .actions form.reject label{margin:0;font-size:.9rem}
.card.draft .actions form.reject select{width:100%}
.card.draft .actions form.reject button{grid-row:1/3;align-self:end;margin:0}
}
`;

const BASE_JS = `
(function () {
  var csrf = document.querySelector('meta[name=csrf-token]');
  var status = document.getElementById('status');
  function say(text) { if (status) status.textContent = text; }
  async function call(method, url, body) {
    var res = await fetch(url, { method: method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf ? csrf.content : '' }, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' });
    var data = await res.json().catch(function () { return {}; });
    if (!res.ok) throw new Error(data.error || ('request failed: ' + res.status));
    return data;
  }
  document.addEventListener('submit', async function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.api) return;
    event.preventDefault();
    var body = {};
    new FormData(form).forEach(function (v, k) { if (v !== '') body[k] = v; });
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    try {
      await call(form.dataset.method || 'POST', form.dataset.api, body);
      say(form.dataset.done || 'Done.');
      if (form.dataset.reload !== 'no') setTimeout(function () { location.reload(); }, 300);
    } catch (error) { say(error.message); }
  });
  // The menu button (render.ts) folds the nav on narrow screens; CSS hides it on wide ones. Escape closes the open menu.
  var toggle = document.querySelector('.menu-toggle');
  var nav = toggle && document.getElementById(toggle.getAttribute('aria-controls'));
  if (toggle && nav) {
    toggle.setAttribute('aria-expanded', 'false');
    toggle.hidden = false;
    toggle.addEventListener('click', function () { toggle.setAttribute('aria-expanded', String(toggle.getAttribute('aria-expanded') !== 'true')); });
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || toggle.getAttribute('aria-expanded') !== 'true' || getComputedStyle(toggle).display === 'none') return;
      toggle.setAttribute('aria-expanded', 'false');
      if (nav.contains(document.activeElement)) toggle.focus();
    });
  }
  // Times are sent as UTC; shown in the viewer's own time zone.
  document.querySelectorAll('time[datetime]').forEach(function (t) { var d = new Date(t.getAttribute('datetime')); if (!isNaN(d.getTime())) { t.title = t.textContent; t.textContent = d.toLocaleString(); } });
})();
`;

export const APP_JS = BASE_JS + REVIEW_JS;
