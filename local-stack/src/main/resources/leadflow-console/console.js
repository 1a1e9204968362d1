// Leadflow console: polls the JSON endpoints under /api and renders them. No build step, no framework.
'use strict';

const REFRESH_MS = 2000;

function esc(value) {
  return String(value == null ? '' : value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---- The admin token ---------------------------------------------------------------------------
// Open on loopback, the console's API answers without a token. Listening beyond loopback it answers 401 until the
// caller shows the admin token: the user pastes it once, it is kept for this tab only (sessionStorage) and sent as
// a bearer token with every call.

const TOKEN_KEY = 'leadflow.adminToken';

function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
}

function askForToken(reason) {
  const form = document.getElementById('token-form');
  document.getElementById('token-reason').textContent = reason || 'This console needs the admin token (LEADFLOW_ADMIN_TOKEN).';
  if (form.hidden) {
    form.hidden = false;
    document.getElementById('token-input').focus();
  }
}

document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  const token = input.value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  input.value = '';
  document.getElementById('token-form').hidden = true;
  refreshNow();
});

// fetch() with the stored token as a bearer token; a 401 forgets a token that no longer works and asks for one.
async function api(path, options) {
  const init = Object.assign({}, options);
  const headers = Object.assign({ Accept: 'application/json' }, init.headers);
  const token = storedToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  init.headers = headers;
  const response = await fetch(path, init);
  if (response.status === 401) {
    const body = await response.clone().json().catch(() => ({}));
    if (token) sessionStorage.removeItem(TOKEN_KEY);
    askForToken(body.detail);
  }
  return response;
}

async function getJson(path) {
  const response = await api(path);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body && (body.detail || body.title)) || (path + ' answered ' + response.status));
  }
  return body;
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? esc(iso) : d.toLocaleTimeString();
}

function pretty(enumName) {
  return String(enumName || '').toLowerCase().replace(/_/g, ' ').replace(/^./, c => c.toUpperCase());
}

// ---- Slack mrkdwn and Block Kit --------------------------------------------------------------

const EMOJI = { warning: '\u26a0\ufe0f', white_check_mark: '\u2705', alarm_clock: '\u23f0', calendar: '\ud83d\udcc5',
  rocket: '\ud83d\ude80', bell: '\ud83d\udd14', hourglass: '\u231b', tada: '\ud83c\udf89', x: '\u274c' };

// Slack mrkdwn: <url|text>, <url>, <@U…>, <#C…>, <!date^…|fallback> are control sequences; &lt; &gt; &amp; are literal < > &.
function mrkdwn(text) {
  const tokens = [];
  let raw = String(text == null ? '' : text).replace(/<([^<>]+)>/g, (m, inner) => { tokens.push(inner); return '\u0000' + (tokens.length - 1) + '\u0000'; });
  raw = raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let html = esc(raw);
  html = html.replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>');
  html = html.replace(/(^|[\s(])_([^_\n]+)_/g, '$1<i>$2</i>');
  html = html.replace(/`([^`]+)`/g, '<code>$1</code>');
  html = html.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
  return html.replace(/\u0000(\d+)\u0000/g, (m, i) => {
    const inner = tokens[Number(i)];
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? inner : inner.slice(bar + 1);
    if (target.startsWith('!date^')) return esc(label);
    if (target.startsWith('@') || target.startsWith('#')) return '<b>' + esc(label) + '</b>';
    if (target.startsWith('!')) return '<b>@' + esc(target.slice(1)) + '</b>';
    return '<a href="' + esc(target) + '" target="_blank" rel="noopener">' + esc(label) + '</a>';
  });
}

function textOf(t) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(t.text) : esc(t.text);
}

// A message's blocks; `message` (channel, ts) lets its interactive buttons be clicked.
function renderBlocks(blocks, message) {
  return (blocks || []).map(block => {
    switch (block.type) {
      case 'header':
        return '<div class="slack-header">' + textOf(block.text) + '</div>';
      case 'section': {
        let html = block.text ? '<div class="slack-section">' + textOf(block.text) + '</div>' : '';
        if (block.fields) {
          html += '<div class="slack-fields">' + block.fields.map(f => '<div>' + textOf(f) + '</div>').join('') + '</div>';
        }
        if (block.accessory && block.accessory.type === 'button') {
          html += '<div class="slack-actions">' + button(block.accessory, message) + '</div>';
        }
        return html;
      }
      case 'context':
        return '<div class="slack-context">' + (block.elements || []).map(e => e.type === 'image' ? '' : textOf(e)).join(' · ') + '</div>';
      case 'actions':
        return '<div class="slack-actions">' + (block.elements || []).filter(e => e.type === 'button').map(b => button(b, message, block.block_id)).join('') + '</div>';
      case 'divider':
        return '<div class="slack-divider"></div>';
      case 'rich_text':
        return '<div class="slack-section">' + esc(JSON.stringify(block.elements)) + '</div>';
      default:
        return '';
    }
  }).join('');
}

// A button can be clicked as in Slack, which has the sandbox send Slack's signed block_actions request to
// lead-intake; a link button also opens its URL (Slack sends the interaction for those too).
function button(b, message, blockId) {
  const cls = 'slack-button' + (b.style === 'primary' ? ' primary' : b.style === 'danger' ? ' danger' : '');
  const label = textOf(b.text);
  const clickable = message && message.ts && !message.ephemeralTo && b.action_id;
  const data = clickable ? ' data-channel="' + esc(message.channel) + '" data-ts="' + esc(message.ts) + '" data-action-id="'
    + esc(b.action_id) + '" data-block-id="' + esc(blockId || '') + '"' : '';
  if (b.url) {
    return '<a class="' + cls + (clickable ? ' slack-link' : '') + '"' + data + ' href="' + esc(b.url)
      + '" target="_blank" rel="noopener">' + label + '</a>';
  }
  if (clickable) {
    return '<button type="button" class="' + cls + ' slack-click"' + data
      + ' title="Click as Slack would: a signed request to lead-intake">' + label + '</button>';
  }
  return '<span class="' + cls + '">' + label + '</span>';
}

function renderClickAs(users) {
  const select = document.getElementById('slack-click-as');
  if (!select || select.options.length > 1) return;
  Object.entries(users || {}).forEach(([id, email]) => {
    const option = document.createElement('option');
    option.value = id;
    option.textContent = email + ' (' + id + ')';
    select.appendChild(option);
  });
}

async function clickSlackButton(target) {
  const result = document.getElementById('slack-click-result');
  if (target.disabled) return;
  target.disabled = true;
  try {
    const r = await api('/api/slack/click', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: target.dataset.channel, ts: target.dataset.ts, blockId: target.dataset.blockId, actionId: target.dataset.actionId,
        user: document.getElementById('slack-click-as').value })
    });
    const body = await r.json().catch(() => ({}));
    result.textContent = r.ok
      ? 'Clicked ' + target.dataset.actionId + ' as ' + body.user + ': lead-intake answered ' + body.status + (body.body ? ' ' + body.body : '')
      : (body.detail || ('the console answered ' + r.status));
  } catch (e) {
    result.textContent = e.message;
  } finally {
    target.disabled = false;
  }
}

function renderSlack(data) {
  document.getElementById('slack-mode').textContent = data.sandbox ? 'sandbox: every message rep-notifier posted' : 'real Slack: not shown here';
  renderClickAs(data.users);
  const html = (data.messages || []).map(m => {
    const to = m.dmUser ? 'DM to ' + (m.dmUserEmail || m.dmUser) : 'in ' + m.channel;
    const seconds = parseFloat(m.ts || '0');
    const only = m.ephemeralTo ? '<div class="only-you">Only visible to ' + esc(m.ephemeralToEmail || m.ephemeralTo) + '</div>' : '';
    return '<div class="slack-message' + (m.ephemeralTo ? ' ephemeral' : '') + '" data-channel="' + esc(m.channel) + '" data-ts="'
      + esc(m.ts) + '" data-dm-user="' + esc(m.dmUser || '') + '">'
      + '<div class="avatar">L</div><div class="body">'
      + '<div class="meta"><b>Leadflow</b> <span class="to">' + esc(to) + '</span> · ' + new Date(seconds * 1000).toLocaleTimeString()
      + (m.edited ? ' <span class="edited">(edited)</span>' : '') + '</div>' + only
      + (m.blocks && m.blocks.length ? renderBlocks(m.blocks, m) : '<div class="slack-section">' + mrkdwn(m.text) + '</div>')
      + '</div></div>';
  }).join('');
  document.querySelector('#slack .slack-messages').innerHTML = html || '<p class="muted">No messages yet.</p>';
}

// ---- Leads -----------------------------------------------------------------------------------

function renderLeads(leads) {
  const rows = leads.map(l => '<tr data-lead-id="' + esc(l.leadId) + '">'
    + '<td>' + time(l.routedAt) + '</td>'
    + '<td class="source">' + esc(pretty(l.source)) + '</td>'
    + '<td class="company">' + esc(l.company) + '<br><span class="muted">' + esc(l.email) + '</span></td>'
    + '<td>' + esc(l.region) + '</td>'
    + '<td class="pipeline"><span class="pill ' + esc(l.pipeline) + '">' + esc(pretty(l.pipeline)) + '</span></td>'
    + '<td class="plan">' + esc(pretty(l.plan)) + '</td>'
    + '<td class="owner">' + esc(l.owner) + '</td>'
    + '<td class="reasons"><ul>' + (l.reasons || []).map(r => '<li>' + esc(r) + '</li>').join('')
    + (l.flags || []).map(f => '<li><b>Flag:</b> ' + esc(f) + '</li>').join('') + '</ul></td>'
    + '</tr>').join('');
  document.querySelector('#leads tbody').innerHTML = rows || '<tr><td colspan="8" class="muted">No leads yet: press "Send a sample lead".</td></tr>';
}

// ---- HubSpot ---------------------------------------------------------------------------------

function rows(selector, items, cells) {
  document.querySelector(selector + ' tbody').innerHTML = items.map(o =>
    '<tr data-id="' + esc(o.id) + '">' + cells(o.properties || {}, o).map(c => '<td>' + esc(c) + '</td>').join('') + '</tr>').join('')
    || '<tr><td colspan="5" class="muted">None</td></tr>';
}

function renderHubSpot(data) {
  document.getElementById('hubspot-mode').textContent = data.sandbox ? 'sandbox portal ' + data.portalId : 'real HubSpot: sandbox unused';
  rows('#hs-contacts', data.contacts, p => [p.hs_object_id, p.email, [p.firstname, p.lastname].filter(Boolean).join(' '), p.hubspot_owner_id]);
  rows('#hs-companies', data.companies, p => [p.hs_object_id, p.name, p.domain]);
  rows('#hs-deals', data.deals, p => [p.hs_object_id, p.dealname, p.pipeline, p.dealstage, p.hubspot_owner_id]);
  rows('#hs-tasks', data.tasks, p => [p.hs_object_id, p.hs_task_subject, p.hs_timestamp, p.hs_task_status]);
  rows('#hs-notes', data.notes, p => [p.hs_object_id, String(p.hs_note_body || '').replace(/<[^>]*>/g, ' ').slice(0, 160)]);
  document.getElementById('hs-counts').textContent = Object.entries(data.callCounts || {}).map(([k, v]) => k + ': ' + v).join(' · ');
  document.querySelector('#hs-calls tbody').innerHTML = (data.calls || []).slice(0, 25).map(c =>
    '<tr><td>' + time(c.at) + '</td><td>' + esc(c.method + ' ' + c.path) + '</td><td>' + esc(c.status) + '</td></tr>').join('');
}

// ---- Trials ----------------------------------------------------------------------------------

function renderTrials(data) {
  const list = Array.isArray(data) ? data : (data.trials || data.results || data.content || []);
  if (!list.length) {
    document.getElementById('trials-body').innerHTML = '<p class="muted">No running trials.</p>';
    return;
  }
  const preferred = ['trialId', 'company', 'companyName', 'owner', 'ownerName', 'dealId', 'startsAt', 'endsAt', 'daysLeft', 'status',
    'nextReminder', 'nextReminderKind', 'nextReminderAt', 'deployment'];
  const keys = preferred.filter(k => list.some(t => t[k] !== undefined));
  Object.keys(list[0]).forEach(k => { if (!keys.includes(k) && keys.length < 10) keys.push(k); });
  const cell = v => v == null ? '' : (typeof v === 'object' ? (v.name || v.kind || JSON.stringify(v)) : v);
  document.getElementById('trials-body').innerHTML = '<table><thead><tr>' + keys.map(k => '<th>' + esc(k) + '</th>').join('')
    + '</tr></thead><tbody>' + list.map(t => '<tr>' + keys.map(k => '<td>' + esc(cell(t[k])) + '</td>').join('') + '</tr>').join('')
    + '</tbody></table>';
}

// ---- Topics and dead letters -----------------------------------------------------------------

function renderTopics(topics) {
  document.querySelector('#topics tbody').innerHTML = topics.map(t => '<tr data-topic="' + esc(t.topic) + '">'
    + '<td>' + esc(t.topic) + '</td><td class="records">' + esc(t.records) + '</td><td>' + esc((t.endOffsets || []).join(' / ')) + '</td>'
    + '<td>' + Object.entries(t.lag || {}).map(([g, lag]) => esc(g) + ': <b>' + esc(lag) + '</b>').join('<br>') + '</td></tr>').join('');
}

function renderDeadLetters(topics) {
  const html = topics.map(t => {
    const records = t.records || [];
    return '<div class="dlt"><h3>' + esc(t.topic) + ' <small class="muted">' + records.length + ' record(s)</small></h3>'
      + (records.length ? '<table><thead><tr><th>Partition/offset</th><th>Key</th><th>When</th><th>Error</th><th></th></tr></thead><tbody>'
        + records.map(r => '<tr><td>' + r.partition + '/' + r.offset + '</td><td>' + esc(r.key) + '</td><td>' + time(r.timestamp)
          + '</td><td>' + esc(r.exception) + '<br><span class="muted">' + esc(r.error) + '</span></td>'
          + '<td><button type="button" class="replay" data-topic="' + esc(t.topic) + '" data-partition="' + r.partition
          + '" data-offset="' + r.offset + '">Replay to ' + esc(t.originalTopic) + '</button></td></tr>').join('')
        + '</tbody></table>' : '')
      + '</div>';
  }).join('');
  document.getElementById('dlt-body').innerHTML = html;
}

document.addEventListener('click', async event => {
  const target = event.target;
  const slackButton = target.closest ? target.closest('.slack-click, .slack-link') : null;
  if (slackButton) {
    await clickSlackButton(slackButton); // a link opens as well: its default action is left alone
    return;
  }
  if (target.classList.contains('replay')) {
    target.disabled = true;
    try {
      const r = await api('/api/dead-letters/' + encodeURIComponent(target.dataset.topic) + '/' + target.dataset.partition + '/'
        + target.dataset.offset + '/replay', { method: 'POST' });
      const body = await r.json();
      target.textContent = r.ok ? 'Replayed to ' + body.replayedTo + ' @' + body.offset : (body.detail || 'failed');
    } catch (e) {
      target.textContent = e.message;
    }
  }
  if (target.id === 'sample-lead') {
    target.disabled = true;
    try {
      const r = await api('/api/sample-lead', { method: 'POST' });
      target.textContent = r.ok ? 'Sent: refreshing…' : 'lead-intake answered ' + r.status;
    } finally {
      setTimeout(() => { target.disabled = false; target.textContent = 'Send a sample lead'; }, 1500);
    }
  }
});

// ---- Status and the refresh loop -------------------------------------------------------------

function renderStatus(s) {
  const parts = Object.entries(s.endpoints || {}).map(([name, url]) => '<span><b>' + esc(name) + '</b> ' + esc(url) + '</span>');
  parts.push('<span><b>HubSpot</b> ' + esc(s.hubspot) + '</span>', '<span><b>Slack</b> ' + esc(s.slack) + '</span>');
  if ((s.unsignedSources || []).length) {
    parts.push('<span class="warn">Unsigned webhooks accepted: ' + esc(s.unsignedSources.join(', ')) + '</span>');
  }
  document.getElementById('status').innerHTML = parts.join('');
}

const panels = [
  ['/api/leads', renderLeads, '#leads tbody'],
  ['/api/slack', renderSlack, '#slack .slack-messages'],
  ['/api/hubspot', renderHubSpot, '#hs-contacts tbody'],
  ['/api/trials', renderTrials, '#trials-body'],
  ['/api/topics', renderTopics, '#topics tbody'],
];
let tick = 0;
let timer = null;

function refreshNow() {
  clearTimeout(timer);
  tick = 0;
  refresh();
}

async function refresh() {
  const work = panels.map(([path, render, where]) => getJson(path).then(render).catch(e => {
    const el = document.querySelector(where);
    if (el) el.innerHTML = '<div class="error">' + esc(path) + ': ' + esc(e.message) + '</div>';
  }));
  if (tick % 5 === 0) {
    work.push(getJson('/api/dead-letters').then(renderDeadLetters).catch(() => {}));
    work.push(getJson('/api/status').then(renderStatus).catch(() => {}));
  }
  tick++;
  await Promise.all(work);
  document.getElementById('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
  clearTimeout(timer);
  timer = setTimeout(refresh, REFRESH_MS);
}

refresh();
