'use strict';
// The session's limits, read with session-get and changed with session-set. Only the fields
// the user changed are sent, so a daemon without the session (no queue) still takes a speed
// limit; whatever the server refuses is shown in its words.

const Settings = {
  /** Form field id → [session key, kind]; kinds: kib (whole KiB/s), count, ratio, bool. */
  FIELDS: {
    'set-down': ['speed-limit-down', 'kib'], 'set-down-on': ['speed-limit-down-enabled', 'bool'],
    'set-up': ['speed-limit-up', 'kib'], 'set-up-on': ['speed-limit-up-enabled', 'bool'],
    'set-turtle-down': ['alt-speed-down', 'kib'], 'set-turtle-up': ['alt-speed-up', 'kib'],
    'set-turtle-on': ['alt-speed-enabled', 'bool'],
    'set-dq': ['download-queue-size', 'count'], 'set-dq-on': ['download-queue-enabled', 'bool'],
    'set-sq': ['seed-queue-size', 'count'], 'set-sq-on': ['seed-queue-enabled', 'bool'],
    'set-ratio': ['seedRatioLimit', 'ratio'], 'set-ratio-on': ['seedRatioLimited', 'bool'],
  },
  loaded: {},

  async load() {
    const keys = Object.values(Settings.FIELDS).map(([key]) => key);
    const session = await Rpc.call('session-get', { fields: keys });
    Settings.loaded = {};
    for (const [id, [key, kind]] of Object.entries(Settings.FIELDS)) {
      const input = $(id);
      const value = session[key];
      input.disabled = value === undefined; // the server does not have it (no session: no queue)
      if (value === undefined) continue;
      if (kind === 'bool') input.checked = !!value; else input.value = String(value);
      Settings.loaded[id] = kind === 'bool' ? !!value : String(value);
    }
  },

  /** The changed fields as session-set arguments; a value that is not a number is refused here, in words. */
  changes() {
    const args = {};
    for (const [id, [key, kind]] of Object.entries(Settings.FIELDS)) {
      const input = $(id);
      if (input.disabled) continue;
      const now = kind === 'bool' ? input.checked : input.value.trim();
      if (now === Settings.loaded[id]) continue;
      if (kind === 'bool') { args[key] = now; continue; }
      const n = Number(now);
      const label = document.querySelector('label[for="' + id + '"]').textContent;
      if (now === '' || !Number.isFinite(n) || n < 0 || (kind !== 'ratio' && !Number.isInteger(n))) {
        throw new RpcError(label + ': give ' + (kind === 'ratio' ? 'a number of 0 or more' : 'a whole number of 0 or more') + '.');
      }
      args[key] = n;
    }
    return args;
  },

  /** Saves; the outcome stays in the panel (the page's error line is cleared by the next poll). */
  async save(event) {
    event.preventDefault();
    const status = $('settings-status');
    status.className = '';
    status.textContent = 'Saving…';
    try {
      const args = Settings.changes();
      if (Object.keys(args).length === 0) { status.textContent = 'Nothing changed.'; return; }
      await Rpc.call('session-set', args);
      await Settings.load();
      status.textContent = 'Saved: ' + Object.keys(args).join(', ') + '.';
    } catch (e) {
      status.className = 'problem';
      status.textContent = 'Not saved. ' + (e instanceof RpcError ? e.message : 'Unexpected error: ' + e.message);
    }
  },
};

document.addEventListener('DOMContentLoaded', () => {
  $('settings').addEventListener('submit', Settings.save);
  $('settings-reload').addEventListener('click', () => attempt(Settings.load));
  attempt(Settings.load);
});
