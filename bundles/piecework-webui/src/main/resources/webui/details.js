'use strict';
// A torrent's details beyond its files: peers, trackers, the pieces picture, and Piecework's
// lock and request-update figures over time (sampled by this page while it is open).
// Client names and tracker messages are chosen by strangers: textContent only, inside <bdi>.

const Details = {
  /** Samples kept per chart: two minutes at one a second. */
  MAX_SAMPLES: 120,
  /** Cells in the pieces picture at most: bigger torrents get one cell per group of pieces. */
  MAX_CELLS: 2048,
  samples: [],
  sampledHash: null,

  render(t) {
    Details.peers(t.peers || []);
    Details.trackers(t.trackerStats || []);
    Details.pieces(t.pieces || '', t.pieceCount || 0);
  },

  peers(peers) {
    const body = $('peer-table').tBodies[0];
    const rows = [...peers].sort((a, b) => (b.rateToClient + b.rateToPeer) - (a.rateToClient + a.rateToPeer)
      || String(a.address).localeCompare(String(b.address)));
    body.replaceChildren(...rows.map(p => {
      const tr = el('tr', null, { class: 'peer' });
      const client = el('td', null, { class: 'client' });
      client.append(el('bdi', Format.name(p.clientName || '?')));
      const flags = el('td', p.flagStr || '', { class: 'flags', title: Details.flagWords(p) });
      tr.append(el('td', Details.address(p), { class: 'address' }), client, el('td', Format.rate(p.rateToClient)),
        el('td', Format.rate(p.rateToPeer)), el('td', Format.percent(p.progress)), flags);
      return tr;
    }));
    $('peer-count').textContent = peers.length + (peers.length === 1 ? ' peer' : ' peers') + ' connected';
    $('peer-table').hidden = peers.length === 0;
  },

  address(p) {
    const a = String(p.address);
    return (a.includes(':') ? '[' + a + ']' : a) + ':' + p.port;
  },

  /** The flag letters in words, for the tooltip and screen readers. */
  flagWords(p) {
    const words = [];
    if (p.isDownloadingFrom) words.push('downloading from it');
    else if (p.clientIsInterested) words.push('it chokes us');
    if (p.isUploadingTo) words.push('uploading to it');
    else if (p.peerIsInterested) words.push('we choke it');
    if (p.isEncrypted) words.push('encrypted');
    words.push(p.isIncoming ? 'it connected to us' : 'we connected to it');
    return words.join(', ');
  },

  trackers(trackers) {
    const body = $('tracker-table').tBodies[0];
    body.replaceChildren(...trackers.map(t => {
      const tr = el('tr', null, { class: 'tracker' });
      const url = el('td', null, { class: 'name' });
      url.append(el('bdi', Format.name(t.announce)));
      const result = el('td', null, { class: t.hasAnnounced && !t.lastAnnounceSucceeded ? 'problem result' : 'result' });
      result.append(el('bdi', t.hasAnnounced ? Format.name(t.lastAnnounceResult) : 'not announced yet'));
      tr.append(url, el('td', t.hasAnnounced ? new Date(t.lastAnnounceTime * 1000).toLocaleTimeString() : '–'), result,
        el('td', t.hasAnnounced ? String(t.lastAnnouncePeerCount) : '–'), el('td', Details.count(t.seederCount)),
        el('td', Details.count(t.leecherCount)));
      return tr;
    }));
    $('tracker-table').hidden = trackers.length === 0;
    $('no-trackers').hidden = trackers.length > 0;
  },

  count(n) { return n >= 0 ? String(n) : '–'; },

  /** Base64 bitfield → one cell per piece, or per group shaded by how much of it we have. */
  pieces(base64, count) {
    const canvas = $('pieces');
    let bytes;
    try { bytes = atob(base64); } catch (e) { bytes = ''; }
    const have = i => (i >>> 3) < bytes.length && (bytes.charCodeAt(i >>> 3) & (0x80 >>> (i & 7))) !== 0;
    const cells = Math.min(count, Details.MAX_CELLS);
    const per = cells ? count / cells : 1;
    const room = Math.max(120, Math.min(canvas.parentElement.clientWidth || 600, 900));
    // Cells of 3 to 16 px, about 100 px high in all for a big torrent.
    const side = Math.max(3, Math.min(16, Math.floor(Math.sqrt(room * 100 / Math.max(1, cells)))));
    const columns = Math.max(1, Math.floor(room / side));
    const width = Math.min(room, Math.max(1, cells) * side);
    const height = Math.max(side, Math.ceil(cells / columns) * side);
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, width, height);
    let total = 0;
    for (let c = 0; c < cells; c++) {
      const from = Math.floor(c * per), to = Math.max(from + 1, Math.floor((c + 1) * per));
      let n = 0;
      for (let i = from; i < to; i++) if (have(i)) n++;
      total += n;
      const share = n / (to - from);
      g.fillStyle = share === 1 ? '#2563eb' : share === 0 ? '#e3e3e3' : `rgba(37, 99, 235, ${0.25 + share * 0.6})`;
      g.fillRect((c % columns) * side, Math.floor(c / columns) * side, side - 1, side - 1);
    }
    const words = total + ' of ' + count + ' pieces verified'
      + (per > 1 ? ' (one cell for about ' + (per < 10 ? per.toFixed(1) : Math.round(per)) + ' pieces each)' : '');
    canvas.setAttribute('aria-label', 'Pieces: ' + words);
    canvas.dataset.have = String(total);
    canvas.dataset.count = String(count);
    $('pieces-caption').textContent = words;
  },

  /** One sample of the torrent's figures from /piecework/engine; a new torrent starts a new ring. */
  sample(own, hash) {
    if (hash !== Details.sampledHash) { Details.samples = []; Details.sampledHash = hash; }
    if (!own) return;
    const s = Details.samples;
    const now = Date.now();
    const last = s[s.length - 1];
    const seconds = last ? (now - last.at) / 1000 : 0;
    s.push({ at: now, waitP50: own.lockWaitP50Nanos, waitP99: own.lockWaitP99Nanos,
      holdP50: own.lockHoldP50Nanos, holdP99: own.lockHoldP99Nanos, updates: own.requestUpdates,
      updateNanos: own.requestUpdateNanos || 0,
      updateRate: last && seconds > 0 ? Math.max(0, own.requestUpdates - last.updates) / seconds : 0,
      // The cost of one update in the last second: the strategy's time over the updates it ran.
      updateCost: last && own.requestUpdates > last.updates
        ? Math.max(0, (own.requestUpdateNanos || 0) - last.updateNanos) / (own.requestUpdates - last.updates) : 0 });
    if (s.length > Details.MAX_SAMPLES) s.splice(0, s.length - Details.MAX_SAMPLES);
    $('over-time').replaceChildren(
      lineChart('Lock wait', s, [['p50', 'waitP50'], ['p99', 'waitP99']], Format.nanos),
      lineChart('Lock hold', s, [['p50', 'holdP50'], ['p99', 'holdP99']], Format.nanos),
      lineChart('Request updates per second', s.slice(1), [['updates/s', 'updateRate']], v => v.toFixed(1)),
      lineChart('Request-update cost', s.slice(1), [['per update', 'updateCost']], Format.nanos));
    $('over-time-caption').textContent = s.length + ' samples, one a second while this page is open (at most '
      + Details.MAX_SAMPLES + ')';
  },
};
