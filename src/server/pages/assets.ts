import { REVIEW_JS } from './review-assets.js';

/** The dashboard's one stylesheet and one script, served from here (no CDN, works offline). */
export const APP_CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1f23;background:#f6f8fa}
header nav{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#24292f}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem}header a[aria-current=page]{border-bottom:2px solid #fff}
header a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #0969da;outline-offset:2px}
.logout{margin-left:auto}
main{padding:1rem 1.5rem;max-width:1100px}
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
  // Times are sent as UTC; shown in the viewer's own time zone.
  document.querySelectorAll('time[datetime]').forEach(function (t) { var d = new Date(t.getAttribute('datetime')); if (!isNaN(d.getTime())) { t.title = t.textContent; t.textContent = d.toLocaleString(); } });
  document.querySelectorAll('tr[data-timeline]').forEach(function (row) {
    row.addEventListener('click', async function () {
      var target = document.getElementById('timeline');
      try {
        var data = await call('GET', '/api/leads/' + encodeURIComponent(row.dataset.timeline) + '/timeline');
        target.innerHTML = '';
        var h = document.createElement('h2'); h.textContent = 'Timeline: ' + row.dataset.timeline + ' [' + data.status + ']'; target.appendChild(h);
        var ul = document.createElement('ul');
        data.timeline.forEach(function (e) { var li = document.createElement('li'); li.textContent = e.at + ' ' + e.channel + ' ' + e.type + ' ' + e.detail; ul.appendChild(li); });
        target.appendChild(ul);
      } catch (error) { say(error.message); }
    });
  });
})();
`;

export const APP_JS = BASE_JS + REVIEW_JS;
