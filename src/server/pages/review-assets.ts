/**
 * The review queue's script (part of /assets/app.js). Rules that keep a shortcut from misfiring:
 * - a key with Ctrl, Alt or Meta (Cmd) is never a shortcut (Ctrl+A selects text, it never approves);
 * - no shortcut while typing in an input, a textarea, a select or an editable element;
 * - a shortcut acts only on the draft that holds the keyboard focus; the highlight is CSS
 *   `:focus-within`, so the highlighted draft is the focused one by construction (no second "selected" state);
 * - j / k move the focus and announce the draft in an aria-live region.
 * A decision posts with the status the reviewer saw; its confirmation and a 10-second undo appear
 * beside the draft, the counters change in place, and nothing reloads. A form's buttons are disabled
 * while its request runs (a double click is one decision).
 */
export const REVIEW_JS = `
(function () {
  var csrf = document.querySelector('meta[name=csrf-token]');
  var live = document.getElementById('review-live');
  var UNDO_SECONDS = 10;
  function announce(text) { if (live) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 30); } }
  async function post(url, body) {
    var res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf ? csrf.content : '' }, body: JSON.stringify(body), credentials: 'same-origin' });
    var data = await res.json().catch(function () { return {}; });
    if (!res.ok) { var e = new Error(data.error || ('request failed: ' + res.status)); e.code = data.code; throw e; }
    return data;
  }
  function bump(name, by) { var el = document.querySelector('[data-count=' + name + ']'); if (el) el.textContent = String(Math.max(0, Number(el.textContent) + by)); }
  function buttons(scope, disabled) { scope.querySelectorAll('button').forEach(function (b) { b.disabled = disabled; }); }
  function outcomeOf(form) { var holder = form.closest('[data-draft], tr'); return holder ? holder.querySelector('[data-outcome]') : null; }

  function decided(card, form, draft, label) {
    var box = card.querySelector('[data-outcome]');
    var actions = card.querySelector('.actions');
    if (actions) actions.hidden = true;
    card.classList.add('decided');
    var approved = draft.status === 'approved';
    bump('waiting', -1); bump(approved ? 'approved' : 'rejected', 1);
    box.textContent = '';
    var text = document.createElement('span');
    text.textContent = label + ' by ' + (draft.decidedBy || 'you') + '. ';
    box.appendChild(text);
    var undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'undo';
    var left = UNDO_SECONDS;
    function label_() { undo.textContent = 'Undo (' + left + ' s)'; }
    label_();
    box.appendChild(undo);
    var timer = setInterval(function () {
      left -= 1;
      if (left > 0) return label_();
      clearInterval(timer);
      undo.remove();
      text.textContent = label + ' by ' + (draft.decidedBy || 'you') + '. To change it, reopen it from Decided today.';
    }, 1000);
    undo.addEventListener('click', async function () {
      undo.disabled = true;
      try {
        await post('/api/emails/' + card.dataset.draft + '/undo', { by: (form.querySelector('input[name=by]') || {}).value || 'dashboard' });
        clearInterval(timer);
        box.textContent = 'Undone: the draft is back in the queue.';
        bump('waiting', 1); bump(approved ? 'approved' : 'rejected', -1);
        card.classList.remove('decided');
        if (actions) { actions.hidden = false; buttons(actions, false); }
        card.focus();
        announce('Undone. ' + (card.dataset.label || ''));
      } catch (error) {
        clearInterval(timer);
        undo.remove();
        text.textContent = label + '. Undo refused: ' + error.message;
      }
    });
    undo.focus();
    announce(label + '. Undo for ' + UNDO_SECONDS + ' seconds.');
  }

  document.addEventListener('submit', async function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.reviewApi) return;
    event.preventDefault();
    if (form.dataset.busy === '1') return;
    form.dataset.busy = '1';
    var card = form.closest('[data-draft]');
    var scope = card || form;
    buttons(scope, true);
    var body = {};
    new FormData(form).forEach(function (v, k) { if (v !== '') body[k] = v; });
    var box = outcomeOf(form);
    try {
      var draft = await post(form.dataset.reviewApi, body);
      if (card) decided(card, form, draft, form.dataset.decision || 'Done');
      else { if (box) box.textContent = (form.dataset.decision || 'Done') + '.'; form.hidden = true; }
    } catch (error) {
      if (box) { box.textContent = (error.code === 'CONFLICT' ? 'Not decided: ' : 'Refused: ') + error.message; }
      // A conflict means someone else decided: the actions stay off; any other refusal can be fixed and sent again.
      if (error.code !== 'CONFLICT') buttons(scope, false);
      else if (card) { var a = card.querySelector('.actions'); if (a) a.hidden = true; card.classList.add('decided'); }
      announce(error.message);
    } finally { form.dataset.busy = ''; }
  });

  var cards = function () { return Array.prototype.slice.call(document.querySelectorAll('[data-draft]')); };
  function focused() { var a = document.activeElement; return a && a.closest ? a.closest('[data-draft]') : null; }
  function typing(el) { return !!el && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable); }
  function move(by) {
    var all = cards();
    if (!all.length) return;
    var at = all.indexOf(focused());
    var next = at === -1 ? (by > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, at + by));
    all[next].focus();
    all[next].scrollIntoView({ block: 'nearest' });
    announce((all[next].dataset.label || '') + (all[next].classList.contains('decided') ? ' (decided)' : ''));
  }
  document.addEventListener('keydown', function (e) {
    if (!document.querySelector('[data-draft]')) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.repeat) return;
    if (typing(e.target) || typing(document.activeElement)) return;
    if (e.key === 'j') { e.preventDefault(); return move(1); }
    if (e.key === 'k') { e.preventDefault(); return move(-1); }
    if (e.key !== 'a' && e.key !== 'r') return;
    var card = focused();
    if (!card) { announce('No draft has the focus: press j to go to one.'); return; }
    e.preventDefault();
    if (card.classList.contains('decided')) { announce('This draft is already decided.'); return; }
    if (e.key === 'a') { var f = card.querySelector('form.approve'); if (f) f.requestSubmit(); }
    if (e.key === 'r') { var r = card.querySelector('form.reject input[name=reason]'); if (r) r.focus(); }
  });
})();
`;
