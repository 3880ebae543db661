/**
 * The ask box's script, served from here like the dashboard's own (no CDN, works offline). It posts
 * the ask to /api/ask with the session's CSRF token and shows the answer, the refusals and the plan;
 * a plan that writes gets a confirm button that asks again with `confirm: true`. Everything shown is
 * set as text (never as HTML), and no key is bound: the box takes keys only while it has focus.
 */
export const ASK_JS = `
(function () {
  var form = document.getElementById('ask-form');
  var out = document.getElementById('ask-result');
  if (!form || !out) return;
  var csrf = document.querySelector('meta[name=csrf-token]');
  var input = document.getElementById('ask-request');
  var button = form.querySelector('button[type=submit]');
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  async function ask(request, confirm) {
    button.disabled = true;
    out.textContent = '';
    out.appendChild(el('p', confirm ? 'Running the confirmed plan...' : 'Asking...', 'meta'));
    try {
      var res = await fetch('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf ? csrf.content : '' }, body: JSON.stringify({ request: request, confirm: confirm }), credentials: 'same-origin' });
      var data = await res.json().catch(function () { return {}; });
      out.textContent = '';
      if (!res.ok) { out.appendChild(el('p', 'Not asked: ' + (data.error || ('request failed: ' + res.status)), 'ask-error')).setAttribute('role', 'alert'); return; }
      show(request, data);
    } catch (error) {
      out.textContent = '';
      out.appendChild(el('p', 'Not asked: ' + error.message, 'ask-error')).setAttribute('role', 'alert');
    } finally { button.disabled = false; }
  }
  function show(request, data) {
    var h = el('h2', 'Answer'); h.id = 'ask-answer-heading'; out.appendChild(h);
    out.appendChild(el('pre', data.answer, 'body ask-answer'));
    if (data.refused) out.appendChild(el('p', 'Refused: ' + data.reason, 'ask-refused'));
    if (data.calls && data.calls.length) {
      out.appendChild(el('h2', 'Plan'));
      var table = el('table', undefined, 'ask-plan');
      var head = el('tr'); ['Tool', 'Arguments', 'Outcome'].forEach(function (t) { head.appendChild(el('th', t)); });
      var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
      var body = el('tbody');
      data.calls.forEach(function (c) {
        var row = el('tr');
        row.appendChild(el('td', c.tool));
        row.appendChild(el('td', JSON.stringify(c.args)));
        row.appendChild(el('td', c.status + (c.error ? ': ' + c.error : '')));
        body.appendChild(row);
      });
      table.appendChild(body); out.appendChild(table);
    } else out.appendChild(el('p', 'No tool ran.', 'meta'));
    if (data.needsConfirmation) {
      out.appendChild(el('p', 'This plan writes: the writes above marked needs_confirmation were held. Confirm to run them.'));
      var confirm = el('button', 'Confirm and run'); confirm.type = 'button'; confirm.id = 'ask-confirm'; confirm.className = 'danger';
      confirm.addEventListener('click', function () { confirm.disabled = true; ask(request, true); });
      out.appendChild(confirm);
    }
    out.appendChild(el('p', 'Intent ' + data.intent + '; trace ' + data.traceId + ' (caio traces).', 'meta'));
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var request = input.value;
    if (!request.trim()) { out.textContent = ''; out.appendChild(el('p', 'Write a request first.', 'ask-error')).setAttribute('role', 'alert'); return; }
    ask(request, false);
  });
})();
`;
