'use strict';
// The page: torrent list (polled every second), add form, actions, details. Every value from
// the server reaches the page through textContent or a form property, never as markup.

const LIST_FIELDS = ['id', 'hashString', 'name', 'totalSize', 'sizeWhenDone', 'percentDone', 'status', 'error',
  'errorString', 'rateDownload', 'rateUpload', 'peersConnected', 'uploadRatio', 'eta', 'metadataPercentComplete'];
const DETAIL_FIELDS = ['id', 'name', 'hashString', 'downloadDir', 'totalSize', 'pieceCount', 'pieceSize', 'comment',
  'creator', 'errorString', 'peersConnected', 'peersSendingToUs', 'peersGettingFromUs', 'files', 'fileStats',
  'trackers', 'percentDone', 'magnetLink', 'peers', 'trackerStats', 'pieces'];
const POLL_MS = 1000;

const $ = id => document.getElementById(id);
const state = { torrents: [], selected: new Set(), sortKey: 'name', sortUp: true, detailsId: null, engine: null };

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

/** Who put up the message shown: a user's 'action', or the list's 'poll'. */
let errorFrom = null;

function showError(message, from = 'action') {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
  errorFrom = message ? from : null;
}

/**
 * Runs an action; its failure is shown in words, never thrown away, and stays until the next
 * action. The list's poll (every second) clears only a failure of its own: when any success
 * cleared the message, a refusal vanished within a second, before a user (or a browser test
 * on a busy machine) could read it, and "Already there" was cleared as it was shown.
 */
async function attempt(action, from = 'action') {
  if (from === 'action') showError('');
  try {
    await action();
    if (errorFrom === 'poll') showError('');
  } catch (e) {
    showError(e instanceof RpcError ? e.message : 'Unexpected error: ' + e.message, from);
  }
}

// ---- list ----

function sortValue(t, key) {
  return key === 'state' ? Format.state(t) : key === 'name' ? String(t.name).toLowerCase() : t[key];
}

/**
 * Rows are made once per torrent and updated in place on every poll, so keyboard focus, an
 * open menu and a check box the user is on survive the updates.
 */
const rowsById = new Map();

function renderList() {
  const body = $('torrents').tBodies[0];
  const sorted = [...state.torrents].sort((a, b) => {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    return (x < y ? -1 : x > y ? 1 : 0) * (state.sortUp ? 1 : -1);
  });
  const present = new Set(sorted.map(t => t.id));
  for (const [id, r] of rowsById) {
    if (!present.has(id)) { r.tr.remove(); rowsById.delete(id); }
  }
  const trs = sorted.map(t => {
    let r = rowsById.get(t.id);
    if (!r) { r = makeRow(t); rowsById.set(t.id, r); }
    updateRow(r, t);
    return r.tr;
  });
  if (trs.some((tr, i) => body.children[i] !== tr)) body.append(...trs); // moves, keeping the elements
  $('empty').hidden = sorted.length > 0;
  $('select-all').checked = sorted.length > 0 && sorted.every(t => state.selected.has(t.id));
  for (const th of $('torrents').tHead.rows[0].cells) {
    if (th.dataset.key) th.setAttribute('aria-sort', th.dataset.key !== state.sortKey ? 'none' : state.sortUp ? 'ascending' : 'descending');
  }
}

function makeRow(t) {
  const tr = el('tr', null, { 'data-id': t.id, 'data-hash': t.hashString });
  const r = { tr };
  r.box = el('input', null, { type: 'checkbox' });
  r.box.addEventListener('change', () => {
    r.box.checked ? state.selected.add(t.id) : state.selected.delete(t.id);
    renderList();
  });
  r.open = el('button', null, { type: 'button', class: 'link' });
  r.open.addEventListener('click', () => openDetails(t.id));
  r.nameText = el('bdi');
  r.open.append(r.nameText);
  r.problem = el('div', null, { class: 'problem' });
  const name = el('td', null, { class: 'name' });
  name.append(r.open, r.problem);
  r.bar = el('progress', null, { max: '1' });
  r.percent = el('span', null, { class: 'percent' });
  const progress = el('td', null, { class: 'progress' });
  progress.append(r.bar, r.percent);
  const first = el('td');
  first.append(r.box);
  r.size = el('td', null, { class: 'wide' });
  r.state = el('td', null, { class: 'state' });
  r.down = el('td');
  r.up = el('td', null, { class: 'wide' });
  r.peers = el('td', null, { class: 'wide peers' });
  r.ratio = el('td', null, { class: 'wide' });
  r.eta = el('td', null, { class: 'wide' });
  tr.append(first, name, r.size, progress, r.state, r.down, r.up, r.peers, r.ratio, r.eta);
  return r;
}

/** Sets only what changed: writing the same text again would still disturb screen readers. */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function updateRow(r, t) {
  const name = Format.name(t.name);
  r.box.checked = state.selected.has(t.id);
  r.box.setAttribute('aria-label', 'Select ' + name);
  r.open.setAttribute('aria-label', 'Details of ' + name);
  setText(r.nameText, name);
  setText(r.problem, t.error ? Format.name(t.errorString) : '');
  r.problem.hidden = !t.error;
  setText(r.size, Format.bytes(t.totalSize));
  r.bar.value = t.percentDone;
  r.bar.setAttribute('aria-label', 'Progress of ' + name);
  setText(r.percent, Format.percent(t.percentDone));
  setText(r.state, Format.state(t));
  setText(r.down, Format.rate(t.rateDownload));
  setText(r.up, Format.rate(t.rateUpload));
  setText(r.peers, String(t.peersConnected));
  setText(r.ratio, Format.ratio(t.uploadRatio));
  setText(r.eta, t.percentDone >= 1 ? '–' : Format.eta(t.eta));
}

async function refresh() {
  const [got, stats, engine, compare] = await Promise.all([Rpc.call('torrent-get', { fields: LIST_FIELDS }),
    Rpc.call('session-stats'), Engine.get(), Engine.compare()]);
  state.torrents = got.torrents || [];
  renderEngine(engine);
  renderCompare(compare);
  const ids = new Set(state.torrents.map(t => t.id));
  for (const id of state.selected) if (!ids.has(id)) state.selected.delete(id);
  renderList();
  $('session').textContent = state.torrents.length + ' torrents · down ' + Format.rate(stats.downloadSpeed)
    + ' · up ' + Format.rate(stats.uploadSpeed);
  if (state.detailsId !== null) await refreshDetails();
}

function poll() {
  attempt(refresh, 'poll').finally(() => setTimeout(poll, POLL_MS));
}

function renderEngine(engine) {
  state.engine = engine;
  $('strategy').textContent = engine.strategy || 'none bound';
  const choice = $('strategy-choice');
  const names = engine.available || [];
  if ([...choice.options].map(o => o.value).join() !== names.join()) {
    choice.replaceChildren(...names.map(n => el('option', n, { value: n })));
    choice.value = engine.strategy;
  }
}

let chartsShown = null;

function renderCompare(compare) {
  const status = $('compare-status');
  $('compare-run').disabled = compare.running;
  status.textContent = compare.running ? 'Running…' : compare.error ? compare.error : compare.rows ? 'Done.' : '';
  const key = JSON.stringify([compare.columns, compare.rows]);
  if (compare.rows && key !== chartsShown) {
    chartsShown = key;
    drawCharts($('charts'), compare);
  }
}

async function runCompare() {
  renderCompare(await Engine.startCompare($('compare-seconds').value));
}

async function switchStrategy() {
  await Engine.switchTo($('strategy-choice').value);
  await refresh();
}

// ---- actions ----

async function act(method, args) {
  const ids = [...state.selected];
  if (ids.length === 0) throw new RpcError('Select one or more torrents first.');
  await Rpc.call(method, Object.assign({ ids }, args || {}));
  await refresh();
}

function remove(withData) {
  const n = state.selected.size;
  if (n > 0 && !confirm('Remove ' + n + ' torrent(s)' + (withData ? ' and delete their downloaded files?' : '? The files stay.'))) return;
  attempt(() => act('torrent-remove', { 'delete-local-data': withData }));
}

async function add(event) {
  event.preventDefault();
  const file = $('add-file').files[0];
  const link = $('add-link').value.trim();
  if (!file && !link) throw new RpcError('Choose a .torrent file or give a URL or magnet link.');
  const args = { paused: $('add-paused').checked };
  const dir = $('add-dir').value.trim();
  if (dir) args['download-dir'] = dir;
  if (file) {
    if (file.size > 16 * 1024 * 1024) throw new RpcError('That file is over 16 MiB: not a .torrent Piecework takes.');
    args.metainfo = await base64(file);
  } else {
    args.filename = link;
  }
  const answer = await Rpc.call('torrent-add', args);
  const t = answer['torrent-added'] || answer['torrent-duplicate'];
  $('add-file').value = '';
  $('add-link').value = '';
  await refresh();
  if (answer['torrent-duplicate']) showError('Already there: ' + Format.name(t.name));
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^[^,]*,/, ''));
    reader.onerror = () => reject(new RpcError('Cannot read the file: ' + reader.error));
    reader.readAsDataURL(file);
  });
}

// ---- details ----

function openDetails(id) {
  state.detailsId = id;
  $('details').hidden = false;
  attempt(refreshDetails).then(() => $('details-title').scrollIntoView());
}

async function refreshDetails() {
  const got = await Rpc.call('torrent-get', { ids: [state.detailsId], fields: DETAIL_FIELDS });
  const t = (got.torrents || [])[0];
  if (!t) { closeDetails(); return; }
  $('details-name').textContent = Format.name(t.name);
  const facts = [['Info-hash', t.hashString], ['Folder', t.downloadDir], ['Size', Format.bytes(t.totalSize)],
    ['Pieces', t.pieceCount + ' × ' + Format.bytes(t.pieceSize)], ['Progress', Format.percent(t.percentDone)],
    ['Comment', t.comment], ['Created by', t.creator], ['Error', t.errorString]];
  const own = ((state.engine || {}).torrents || []).find(x => x.hashString === t.hashString);
  if (own) {
    facts.push(['Request strategy', state.engine.strategy || 'none bound'],
      ['Lock wait p50 / p99', Format.nanos(own.lockWaitP50Nanos) + ' / ' + Format.nanos(own.lockWaitP99Nanos)],
      ['Lock hold p50 / p99', Format.nanos(own.lockHoldP50Nanos) + ' / ' + Format.nanos(own.lockHoldP99Nanos)],
      ['Lock acquisitions', String(own.lockAcquisitions)], ['Request updates', String(own.requestUpdates)],
      ['Hash failures', String(own.hashFailures)]);
  }
  const shown = facts.filter(f => f[1]).map(([k, v]) => [k, Format.name(v)]);
  const list = $('details-facts');
  if (list.dataset.shown !== JSON.stringify(shown)) { // rebuilt only when a value changed
    list.dataset.shown = JSON.stringify(shown);
    list.replaceChildren(...shown.flatMap(([k, v]) => [el('dt', k), el('dd', v, { 'data-fact': k })]));
  }
  const stats = t.fileStats || [];
  const files = t.files || [];
  const body = $('files').tBodies[0];
  if (body.dataset.torrent !== String(t.id) || body.rows.length !== files.length) {
    body.dataset.torrent = String(t.id);
    body.replaceChildren(...files.map((f, i) => fileRow(t, f, i)));
  }
  files.forEach((f, i) => updateFileRow(body.rows[i], f, stats[i] || {}));
  Details.render(t);
  $('peer-directions').textContent = '(' + t.peersSendingToUs + ' sending to us, ' + t.peersGettingFromUs + ' getting from us)';
  Details.sample(own, t.hashString);
}

function fileRow(t, f, index) {
  const name = Format.name(f.name);
  const tr = el('tr', null, { class: 'file' });
  tr.append(el('td', null, { class: 'name' }));
  tr.cells[0].append(el('bdi', name));
  tr.append(el('td', Format.bytes(f.length)));
  const cell = el('td', null, { class: 'progress' });
  cell.append(el('progress', null, { max: '1', 'aria-label': 'Progress of ' + name }), el('span', null, { class: 'percent' }));
  tr.append(cell);
  const select = el('select', null, { 'aria-label': 'Priority of ' + name });
  for (const [value, label] of [['skip', 'Skip'], ['low', 'Low'], ['normal', 'Normal'], ['high', 'High']]) {
    select.append(el('option', label, { value }));
  }
  select.addEventListener('change', () => attempt(async () => {
    const args = { ids: [t.id] };
    if (select.value === 'skip') args['files-unwanted'] = [index];
    else { args['files-wanted'] = [index]; args['priority-' + select.value] = [index]; }
    await Rpc.call('torrent-set', args);
    await refreshDetails();
  }));
  tr.append(el('td')); tr.cells[3].append(select);
  return tr;
}

function updateFileRow(tr, f, s) {
  const done = f.length ? f.bytesCompleted / f.length : 1;
  tr.querySelector('progress').value = done;
  setText(tr.querySelector('.percent'), Format.percent(done));
  const select = tr.querySelector('select');
  if (document.activeElement !== select) { // never change a menu under the user's hand
    select.value = s.wanted === false ? 'skip' : ({ '-1': 'low', 0: 'normal', 1: 'high' })[s.priority] || 'normal';
  }
}

function closeDetails() {
  state.detailsId = null;
  $('details').hidden = true;
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  $('add').addEventListener('submit', e => attempt(() => add(e)));
  $('start').addEventListener('click', () => attempt(() => act('torrent-start')));
  $('stop').addEventListener('click', () => attempt(() => act('torrent-stop')));
  $('verify').addEventListener('click', () => attempt(() => act('torrent-verify')));
  $('remove').addEventListener('click', () => remove(false));
  $('remove-data').addEventListener('click', () => remove(true));
  $('details-close').addEventListener('click', closeDetails);
  $('strategy-switch').addEventListener('click', () => attempt(switchStrategy));
  $('compare-run').addEventListener('click', () => attempt(runCompare));
  $('select-all').addEventListener('change', e => {
    state.torrents.forEach(t => e.target.checked ? state.selected.add(t.id) : state.selected.delete(t.id));
    renderList();
  });
  for (const th of $('torrents').tHead.rows[0].cells) {
    if (!th.dataset.key) continue;
    th.querySelector('button').addEventListener('click', () => {
      state.sortUp = state.sortKey === th.dataset.key ? !state.sortUp : true;
      state.sortKey = th.dataset.key;
      renderList();
    });
  }
  attempt(async () => {
    const session = await Rpc.call('session-get', { fields: ['download-dir', 'version'] });
    if (!$('add-dir').value) $('add-dir').value = session['download-dir'] || '';
  });
  poll();
});
