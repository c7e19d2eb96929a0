"""A libtorrent-rasterbar seeder that announces to a tracker, for tracker interop tests.

  ltseeder.py create DATA_FILE TORRENT_OUT PIECE_LENGTH   write a .torrent for one file
  ltseeder.py seed TORRENT SAVE_PATH TRACKER_URL          seed on 127.0.0.1, announcing to TRACKER_URL;
                                                          prints "PORT n" once the files are checked,
                                                          "ANNOUNCED" after each tracker reply and
                                                          "TRACKERERROR msg" after each tracker error

Exits when stdin closes or after a bounded time, so a dying test leaves no peer behind.
"""
import os
import sys
import time

import libtorrent as lt

# ltcommon.py sits one folder up.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from ltcommon import ALL_ALERTS, create, say, settings, stdin_closed  # noqa: E402

LIFETIME_S = 120


def create_v1(data_file, out, piece_length):
    # v1 only: a hybrid torrent would also announce its v2 hash, which the whitelist lacks.
    create(data_file, out, piece_length, flags=lt.create_torrent.v1_only)


def seed(torrent, save_path, tracker):
    s = settings(ALL_ALERTS, plaintext=False)
    s.update({'announce_to_all_trackers': True, 'announce_to_all_tiers': True})
    ses = lt.session(s)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    params.trackers = [tracker]
    h = ses.add_torrent(params)
    deadline = time.time() + LIFETIME_S
    ready = False
    while time.time() < deadline and not stdin_closed():
        for a in ses.pop_alerts():
            sys.stderr.write('lt: %s: %s\n' % (a.what(), a.message()))
            if isinstance(a, lt.tracker_reply_alert):
                say('ANNOUNCED')
            elif isinstance(a, lt.tracker_error_alert):
                say('TRACKERERROR %s' % a.message())
        sys.stderr.flush()
        if not ready and h.status().state == lt.torrent_status.seeding:
            ready = True
            say('PORT %d' % ses.listen_port())
            # Announce now that we have everything, so the tracker lists us as a seeder.
            h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        time.sleep(0.05)


if __name__ == '__main__':
    if sys.argv[1] == 'create':
        create_v1(*sys.argv[2:5])
    else:
        seed(*sys.argv[2:5])
