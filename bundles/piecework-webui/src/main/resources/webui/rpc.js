'use strict';
// Transmission RPC client and formatting helpers. Nothing here touches the page.

/** An error with a message meant for people. */
class RpcError extends Error {}

const Rpc = {
  sessionId: null,
  PATH: '/transmission/rpc',

  /** Calls a method; resolves to its arguments, rejects with an RpcError saying what went wrong. */
  async call(method, args) {
    const body = JSON.stringify({ method, arguments: args || {} });
    for (let attempt = 0; attempt < 2; attempt++) {
      let resp;
      try {
        const headers = { 'Content-Type': 'application/json' };
        if (this.sessionId) headers['X-Transmission-Session-Id'] = this.sessionId;
        resp = await fetch(this.PATH, { method: 'POST', headers, body, credentials: 'same-origin' });
      } catch (e) {
        throw new RpcError('Cannot reach Piecework (' + e.message + '). Is the daemon running?');
      }
      if (resp.status === 409) { // the session-id handshake: take the id and ask again
        this.sessionId = resp.headers.get('X-Transmission-Session-Id');
        continue;
      }
      if (!resp.ok) throw new RpcError(Rpc.httpProblem(resp.status));
      let answer;
      try {
        answer = await resp.json();
      } catch (e) {
        throw new RpcError('The server sent an answer that is not JSON.');
      }
      if (answer.result !== 'success') throw new RpcError(method + ': ' + answer.result);
      return answer.arguments || {};
    }
    throw new RpcError('The server kept refusing the session id (HTTP 409).');
  },

  httpProblem(status) {
    const words = {
      401: 'The server asks for a user name and password (HTTP 401).',
      403: 'This address may not use Piecework: add it to the RPC whitelist (HTTP 403).',
      413: 'The request is too large for the server (HTTP 413).',
      421: 'The server does not accept this host name: add it to the RPC host whitelist (HTTP 421).',
      503: 'The server is busy with other large requests: try again (HTTP 503).',
    };
    return words[status] || 'The server answered HTTP ' + status + '.';
  },
};

/** Piecework's own figures and the strategy switch (/piecework/*: no Transmission field for them). */
const Engine = {
  async get() {
    return Engine.ask('/piecework/engine', { method: 'GET' });
  },
  async switchTo(name) {
    return Engine.ask('/piecework/strategy?name=' + encodeURIComponent(name), { method: 'POST', headers: { 'X-Piecework': '1' } });
  },
  async compare() {
    return Engine.ask('/piecework/compare', { method: 'GET' });
  },
  async startCompare(seconds) {
    return Engine.ask('/piecework/compare?seconds=' + encodeURIComponent(seconds), { method: 'POST', headers: { 'X-Piecework': '1' } });
  },
  async ask(path, init) {
    let resp;
    try {
      resp = await fetch(path, Object.assign({ credentials: 'same-origin' }, init));
    } catch (e) {
      throw new RpcError('Cannot reach Piecework (' + e.message + ').');
    }
    let body = {};
    try { body = await resp.json(); } catch (e) { /* an error page, not JSON */ }
    if (!resp.ok) throw new RpcError(body.error ? 'Piecework: ' + body.error : Rpc.httpProblem(resp.status));
    return body;
  },
};

const Format = {
  bytes(n) {
    if (!(n >= 0)) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
  },
  rate(n) { return n > 0 ? Format.bytes(n) + '/s' : '–'; },
  percent(f) { return Math.floor(Math.max(0, Math.min(1, f)) * 1000) / 10 + '%'; },
  nanos(n) {
    if (!(n >= 0)) return '–';
    if (n < 1e3) return n + ' ns';
    if (n < 1e6) return (n / 1e3).toFixed(1) + ' µs';
    if (n < 1e9) return (n / 1e6).toFixed(1) + ' ms';
    return (n / 1e9).toFixed(2) + ' s';
  },
  ratio(r) { return r < 0 ? '–' : r.toFixed(2); },
  eta(s) {
    if (!(s >= 0)) return '–';
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.round(s / 60) + ' min';
    if (s < 86400) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  },
  /** Transmission's status number as words; a torrent with an error says so. */
  state(t) {
    if (t.error) return 'Error';
    if (t.metadataPercentComplete !== undefined && t.metadataPercentComplete < 1 && t.status !== 0) return 'Fetching metadata';
    return { 0: 'Stopped', 1: 'Queued to check', 2: 'Checking', 3: 'Queued', 4: 'Downloading', 5: 'Queued to seed', 6: 'Seeding' }[t.status] || 'Unknown';
  },
  /**
   * A name as plain text to put in textContent: bidirectional controls (which could make
   * "gnp.exe" read as "exe.png") are shown as their code points, other control characters
   * as U+FFFD. Never parsed as markup anywhere.
   */
  name(s) {
    return String(s).replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g,
      c => '[U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + ']')
      .replace(/[\u0000-\u001F\u007F]/g, '\uFFFD');
  },
};
