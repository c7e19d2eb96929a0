'use strict';
// The page: torrent list (polled every second), add form, actions, details. Every value from
// the server reaches the page through textContent or a form property, never as markup.

const LIST_FIELDS = ['id', 'hashString', 'name', 'totalSize', 'sizeWhenDone', 'percentDone', 'status', 'error',
  'errorString', 'rateDownload', 'rateUpload', 'peersConnected', 'uploadRatio', 'eta', 'metadataPercentComplete'];
const DETAIL_FIELDS = ['id', 'name', 'hashString', 'downloadDir', 'totalSize', 'pieceCount', 'pieceSize', 'comment',
  'creator', 'errorString', 'peersConnected', 'peersSendingToUs', 'peersGettingFromUs', 'files', 'fileStats',
  'trackers', 'percentDone', 'magnetLink'];
const POLL_MS = 1000;

const $ = id => document.getElementById(id);
const state = { torrents: [], selected: new Set(), sortKey: 'name', sortUp: true, detailsId: null, engine: null };

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

/** Runs an action; its failure is shown in words, never thrown away. */
async function attempt(action) {
  try {
    await action();
    showError('');
  } catch (e) {
    showError(e instanceof RpcError ? e.message : 'Unexpected error: ' + e.message);
  }
}

// ---- list ----

function sortValue(t, key) {
  return key === 'state' ? Format.state(t) : key === 'name' ? String(t.name).toLowerCase() : t[key];
}

function renderList() {
  const body = $('torrents').tBodies[0];
  const rows = [...state.torrents].sort((a, b) => {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    return (x < y ? -1 : x > y ? 1 : 0) * (state.sortUp ? 1 : -1);
  });
  body.replaceChildren(...rows.map(row));
  $('empty').hidden = rows.length > 0;
  $('select-all').checked = rows.length > 0 && rows.every(t => state.selected.has(t.id));
  for (const th of $('torrents').tHead.rows[0].cells) {
    if (th.dataset.key) th.setAttribute('aria-sort', th.dataset.key !== state.sortKey ? 'none' : state.sortUp ? 'ascending' : 'descending');
  }
}

function row(t) {
  const tr = el('tr', null, { 'data-id': t.id, 'data-hash': t.hashString });
  const box = el('input', null, { type: 'checkbox', 'aria-label': 'Select ' + Format.name(t.name) });
  box.checked = state.selected.has(t.id);
  box.addEventListener('change', () => { box.checked ? state.selected.add(t.id) : state.selected.delete(t.id); renderList(); });
  tr.append(el('td')); tr.cells[0].append(box);
  const name = el('td', null, { class: 'name' });
  const open = el('button', null, { type: 'button', class: 'link', 'aria-label': 'Details of ' + Format.name(t.name) });
  open.append(el('bdi', Format.name(t.name)));
  open.addEventListener('click', () => openDetails(t.id));
  name.append(open);
  if (t.error) name.append(el('div', Format.name(t.errorString), { class: 'problem' }));
  tr.append(name);
  tr.append(el('td', Format.bytes(t.totalSize), { class: 'wide' }));
  const progress = el('td', null, { class: 'progress' });
  const bar = el('progress', null, { max: '1', 'aria-label': 'Progress of ' + Format.name(t.name) });
  bar.value = t.percentDone;
  progress.append(bar, el('span', Format.percent(t.percentDone), { class: 'percent' }));
  tr.append(progress);
  tr.append(el('td', Format.state(t), { class: 'state' }));
  tr.append(el('td', Format.rate(t.rateDownload)));
  tr.append(el('td', Format.rate(t.rateUpload), { class: 'wide' }));
  tr.append(el('td', String(t.peersConnected), { class: 'wide peers' }));
  tr.append(el('td', Format.ratio(t.uploadRatio), { class: 'wide' }));
  tr.append(el('td', t.percentDone >= 1 ? '–' : Format.eta(t.eta), { class: 'wide' }));
  return tr;
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
  attempt(refresh).finally(() => setTimeout(poll, POLL_MS));
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
  $('details-facts').replaceChildren(...facts.filter(f => f[1]).flatMap(([k, v]) => [el('dt', k), el('dd', Format.name(v), { 'data-fact': k })]));
  const stats = t.fileStats || [];
  $('files').tBodies[0].replaceChildren(...(t.files || []).map((f, i) => fileRow(t, f, stats[i] || {}, i)));
  $('peers').textContent = t.peersConnected + (t.peersConnected === 1 ? ' peer' : ' peers') + ' connected ('
    + t.peersSendingToUs + ' sending to us, ' + t.peersGettingFromUs + ' getting from us)';
  $('trackers').replaceChildren(...(t.trackers || []).map(tr => el('li', Format.name(tr.announce))));
  if (!(t.trackers || []).length) $('trackers').append(el('li', 'No trackers (peers from the DHT, peer exchange or the magnet link).'));
}

function fileRow(t, f, s, index) {
  const tr = el('tr', null, { class: 'file' });
  tr.append(el('td', null, { class: 'name' }));
  tr.cells[0].append(el('bdi', Format.name(f.name)));
  tr.append(el('td', Format.bytes(f.length)));
  const done = f.length ? f.bytesCompleted / f.length : 1;
  const cell = el('td', null, { class: 'progress' });
  const bar = el('progress', null, { max: '1', 'aria-label': 'Progress of ' + Format.name(f.name) });
  bar.value = done;
  cell.append(bar, el('span', Format.percent(done), { class: 'percent' }));
  tr.append(cell);
  const select = el('select', null, { 'aria-label': 'Priority of ' + Format.name(f.name) });
  for (const [value, label] of [['skip', 'Skip'], ['low', 'Low'], ['normal', 'Normal'], ['high', 'High']]) {
    select.append(el('option', label, { value }));
  }
  select.value = s.wanted === false ? 'skip' : ({ '-1': 'low', 0: 'normal', 1: 'high' })[s.priority] || 'normal';
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
