// Leadflow console: the routing views. SLA clocks (polled) and the rules simulation (run on demand), both passed
// through to routing-service by the console's /api/routing endpoints. Uses api() and getJson() from console.js.
// Everything that comes from a lead, a rep or a rules file is put in the page as text (textContent, text nodes):
// nothing here builds HTML from data.
'use strict';

// ---- Building elements -----------------------------------------------------------------------

// h('td', {class: 'owner'}, 'Simon', h('br'), ...): an element whose children are elements or text (never parsed as HTML).
function h(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value == null || value === false) return;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  });
  children.flat(Infinity).forEach(child => {
    if (child == null || child === false) return;
    node.append(child instanceof Node ? child : String(child));
  });
  return node;
}

function fill(tbody, rows, columns, emptyText) {
  tbody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', {colspan: columns, class: 'muted'}, emptyText))]));
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

// 3725 -> "1 h 2 min"; negative -> "due"
function left(seconds) {
  if (seconds == null) return '';
  if (seconds <= 0) return 'due now';
  const d = Math.floor(seconds / 86400), hrs = Math.floor(seconds % 86400 / 3600), min = Math.floor(seconds % 3600 / 60);
  if (d) return d + ' d ' + hrs + ' h';
  if (hrs) return hrs + ' h ' + min + ' min';
  return min ? min + ' min ' + (seconds % 60) + ' s' : seconds + ' s';
}

// ---- SLA clocks ------------------------------------------------------------------------------

const STATUS_TEXT = { waiting: 'Waiting', reassigned: 'Reassigned, waiting', accepted: 'Accepted', breached: 'Breached', none: 'No SLA' };

function renderSla(data) {
  const clocks = data.clocks || [];
  document.getElementById('sla-summary').textContent = (data.open || 0) + ' open of ' + (data.total || 0) + ' clock(s)'
    + (data.total > clocks.length ? ', the first ' + clocks.length + ' shown' : '');
  const rows = clocks.map(c => {
    // time left from acceptBy and this browser's clock, so it counts down between polls
    const seconds = c.open && c.acceptBy ? Math.round((new Date(c.acceptBy) - Date.now()) / 1000) : null;
    return h('tr', {'data-lead-id': c.leadId, class: c.open ? 'sla-open' : 'sla-stopped'},
      h('td', {class: 'lead'}, c.company || '', h('br'), h('span', {class: 'muted'}, pretty(c.source) + ' · v' + c.decisionVersion)),
      h('td', {class: 'owner'}, c.owner ? c.owner.name : ''),
      h('td', {class: 'policy'}, c.policy || ''),
      h('td', {class: 'status'}, h('span', {class: 'pill sla-' + c.status}, STATUS_TEXT[c.status] || c.status),
        c.acceptedBy ? h('div', {class: 'muted'}, 'by ' + c.acceptedBy + (c.acceptedVia ? ' in ' + c.acceptedVia : '') + ' ' + when(c.acceptedAt)) : null),
      h('td', {class: 'accept-by'}, c.open ? when(c.acceptBy) : ''),
      h('td', {class: 'time-left' + (seconds != null && seconds < 300 ? ' urgent' : '')}, c.open ? left(seconds) : ''),
      h('td', {class: 'reminder'}, c.reminderSent ? 'Sent' : (c.open && c.remindAt ? 'at ' + when(c.remindAt) : '')),
      h('td', {class: 'reassignments'}, c.reassignments ? c.reassignments + '× (held by ' + (c.heldBy || []).join(', ') + ')' : ''),
      h('td', {class: 'escalated'}, c.escalatedTo ? 'to ' + c.escalatedTo : ''),
      h('td', {class: 'last-event'}, pretty(c.lastEvent), h('br'), h('span', {class: 'muted'}, when(c.lastEventAt))));
  });
  fill(document.querySelector('#sla tbody'), rows, 10, 'No routed leads yet.');
}

async function refreshSla() {
  try {
    renderSla(await getJson('/api/routing/sla'));
  } catch (e) {
    document.getElementById('sla-summary').replaceChildren(h('span', {class: 'error'}, '/api/routing/sla: ' + e.message));
  } finally {
    setTimeout(refreshSla, REFRESH_MS);
  }
}

// ---- The rules simulation --------------------------------------------------------------------

const rulesEditor = document.getElementById('sim-rules');

async function loadLiveRules() {
  const live = document.getElementById('sim-live');
  live.textContent = 'Loading the live rules…';
  try {
    const data = await getJson('/api/routing/rules');
    if (data.yaml == null) {
      live.textContent = 'No rules version published yet.';
      return;
    }
    rulesEditor.value = data.yaml;
    live.textContent = 'Live rules v' + data.live.version + ' (' + (data.live.label || '') + '), published ' + when(data.live.publishedAt)
      + ': edit them, paste or upload a candidate file, then run.';
    showErrors(null);
  } catch (e) {
    live.textContent = 'The live rules could not be loaded: ' + e.message;
    // tried again while the editor is still empty (the API may have wanted the admin token, or routing was starting)
    if (!rulesEditor.value) setTimeout(() => { if (!rulesEditor.value) loadLiveRules(); }, 5 * REFRESH_MS);
  }
}

document.getElementById('sim-load-live').addEventListener('click', loadLiveRules);
// once the admin token is given (console.js keeps it), the editor is filled without waiting for the next try
document.getElementById('token-form').addEventListener('submit', () => setTimeout(() => { if (!rulesEditor.value) loadLiveRules(); }, 0));

document.getElementById('sim-file').addEventListener('change', async event => {
  const file = event.target.files && event.target.files[0];
  if (!file) return;
  rulesEditor.value = await file.text();
  document.getElementById('sim-live').textContent = 'Uploaded ' + file.name + ' (' + file.size + ' bytes).';
  showErrors(null);
});

// Selects line `line` (1-based) of the editor, so a problem's line can be found at a click.
function goToLine(line) {
  const lines = rulesEditor.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  rulesEditor.focus();
  rulesEditor.setSelectionRange(start, start + (lines[line - 1] || '').length);
  const lineHeight = parseFloat(getComputedStyle(rulesEditor).lineHeight) || 16;
  rulesEditor.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

// The problem routing-service (or the console) answered: every problem with its line next to the editor.
function showErrors(problem) {
  const box = document.getElementById('sim-errors');
  if (!problem) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const title = (problem.field ? problem.field + ': ' : '') + (problem.detail || problem.title || 'the simulation failed');
  const items = (problem.problems || []).map(p => h('li', {},
    h('button', {type: 'button', class: 'line', 'data-line': p.line}, 'Line ' + p.line),
    ' ', p.path ? h('code', {}, p.path) : null, p.path ? ' ' : null, p.message));
  box.replaceChildren(h('div', {class: 'error'}, title), items.length ? h('ul', {}, items) : null);
  box.hidden = false;
}

document.getElementById('sim-errors').addEventListener('click', event => {
  const target = event.target.closest('button.line');
  if (target) goToLine(Number(target.dataset.line));
});

function isoFromLocal(id) {
  const value = document.getElementById(id).value;
  if (!value) return null;
  const d = new Date(value); // a datetime-local value is this browser's local time
  return isNaN(d) ? value : d.toISOString();
}

document.getElementById('sim-form').addEventListener('submit', async event => {
  event.preventDefault();
  const run = document.getElementById('sim-run');
  const status = document.getElementById('sim-status');
  const query = new URLSearchParams();
  const from = isoFromLocal('sim-from');
  const to = isoFromLocal('sim-to');
  if (from) query.append('from', from);
  if (to) query.append('to', to);
  document.querySelectorAll('input[name="sim-source"]:checked').forEach(box => query.append('sources', box.value));
  const limit = document.getElementById('sim-limit').value;
  if (limit !== '') query.append('limit', limit);
  run.disabled = true;
  status.textContent = 'Replaying past leads through the candidate…';
  try {
    const response = await api('/api/routing/simulations' + (query.toString() ? '?' + query : ''),
      { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: rulesEditor.value });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      showErrors(Object.assign({ detail: 'the console answered ' + response.status }, body));
      status.textContent = 'Not run: see the problem next to the editor.';
      return;
    }
    showErrors(null);
    renderReport(body);
    status.textContent = 'Simulated at ' + when(body.generatedAt) + '. Nothing was published.';
  } catch (e) {
    showErrors({ detail: e.message });
    status.textContent = '';
  } finally {
    run.disabled = false;
  }
});

function decisionCell(d, changed) {
  if (!d) return h('td', {class: 'muted'}, 'not decided before');
  const mark = field => changed.includes(field) ? 'changed' : null;
  return h('td', {},
    h('div', {class: 'decision'},
      h('span', {class: 'owner ' + (mark('owner') || '')}, d.owner), ' · ',
      h('span', {class: 'pipeline ' + (mark('pipeline') || '')}, pretty(d.pipeline)), ' · ',
      h('span', {class: 'plan ' + (mark('plan') || '')}, pretty(d.plan)),
      h('span', {class: 'muted'}, ' (' + (d.rulesVersion || '') + ')')),
    h('ul', {class: 'reasons'}, (d.reasons || []).map(r => h('li', {},
      h('b', {}, r.rule || ''), ': ', r.explanation || '',
      r.field ? h('span', {class: 'muted'}, ' (' + r.field + (r.value != null ? ' = ' + r.value : '') + ')') : null))));
}

function renderReport(report) {
  const changed = report.changed || {};
  const input = report.input || {};
  const range = report.window || {};
  document.getElementById('sim-totals').replaceChildren(
    h('div', {class: 'totals'},
      h('span', {}, h('b', {}, report.leadsExamined), ' leads examined'),
      h('span', {}, h('b', {}, report.unchanged), ' unchanged'),
      h('span', {class: changed.total ? 'warn' : null}, h('b', {id: 'sim-changed-total'}, changed.total || 0), ' changed (owner '
        + (changed.owner || 0) + ', pipeline ' + (changed.pipeline || 0) + ', plan ' + (changed.plan || 0) + ')'),
      h('span', {}, h('b', {}, report.notDecidedBefore), ' not decided before')),
    h('div', {class: 'muted'}, 'Candidate ' + (report.rulesVersion || '') + ' over ' + (range.from ? when(range.from) : 'the beginning')
      + ' to ' + (range.to ? when(range.to) : 'now') + ((range.sources || []).length ? ', sources ' + range.sources.join(', ') : ', every source')
      + '. Read ' + (input.leadsRead || 0) + ' lead record(s), ' + (input.outsideWindow || 0) + ' outside the window, '
      + (input.redeliveries || 0) + ' re-delivered, ' + (input.unreadable || 0) + ' unreadable; ' + (input.decisionsRead || 0)
      + ' decision(s), ' + (input.decisionsWithoutLead || 0) + ' without their lead.'));

  const changes = report.changes || [];
  const more = (changed.total || 0) > changes.length ? ' (the first ' + changes.length + ' of ' + changed.total + ')' : '';
  document.querySelector('#sim-report h3').textContent = 'Changed leads' + more;
  fill(document.querySelector('#sim-changes tbody'), changes.map(c => h('tr', {'data-lead-id': c.leadId},
    h('td', {class: 'lead'}, c.company || '', h('br'), h('span', {class: 'muted'}, pretty(c.source) + ' · ' + when(c.receivedAt))),
    h('td', {class: 'changed'}, (c.changed || []).join(', ')),
    decisionCell(c.before, c.changed || []),
    decisionCell(c.after, c.changed || []))), 4, 'No lead would be decided differently.');

  const perRep = [];
  Object.entries(report.leadsPerRepAndDay || {}).forEach(([rep, days]) => Object.entries(days).forEach(([day, n]) =>
    perRep.push(h('tr', {'data-rep': rep, class: n.before !== n.after ? 'differs' : null},
      h('td', {}, rep), h('td', {}, day), h('td', {}, n.before), h('td', {}, n.after)))));
  fill(document.querySelector('#sim-per-rep tbody'), perRep, 4, 'No leads in the window.');

  const hits = [];
  Object.entries(report.ruleHits || {}).forEach(([section, rules]) => Object.entries(rules).forEach(([rule, n]) =>
    hits.push(h('tr', {'data-rule': section + '/' + rule, class: n.before !== n.after ? 'differs' : null},
      h('td', {}, section), h('td', {}, rule), h('td', {}, n.before), h('td', {}, n.after)))));
  fill(document.querySelector('#sim-rule-hits tbody'), hits, 4, 'No rule decided a lead.');

  const caps = (report.capsHit || []).map(c => h('li', {}, c.rep + ' would reach the daily cap of ' + c.cap + ' on ' + c.day
    + ' (with the lead received ' + when(c.reachedAt) + ')'));
  document.getElementById('sim-caps').replaceChildren(...(caps.length ? caps : [h('li', {class: 'muted'}, 'None.')]));
  const never = (report.rulesNeverFired || []).map(r => h('li', {},
    h('button', {type: 'button', class: 'line', 'data-line': r.line}, 'Line ' + r.line), ' ', r.section + ': ', h('b', {}, r.rule)));
  document.getElementById('sim-never-fired').replaceChildren(...(never.length ? never : [h('li', {class: 'muted'}, 'Every rule decided a lead.')]));
  document.getElementById('sim-report').hidden = false;
}

document.getElementById('sim-never-fired').addEventListener('click', event => {
  const target = event.target.closest('button.line');
  if (target) goToLine(Number(target.dataset.line));
});

loadLiveRules();
refreshSla();
