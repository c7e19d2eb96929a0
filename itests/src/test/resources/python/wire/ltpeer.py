"""A libtorrent-rasterbar peer for interop tests, driven by the Java test over stdin/stdout.

  ltpeer.py create DATA_FILE TORRENT_OUT PIECE_LENGTH   write a .torrent for one file
  ltpeer.py seed TORRENT SAVE_PATH                      seed; prints "PORT n"
  ltpeer.py leech TORRENT SAVE_PATH PEER_PORT           download from 127.0.0.1:PEER_PORT;
                                                        prints "PORT n", "PIECE i" for each piece
                                                        that passed libtorrent's hash check
                                                        ("HASHFAILED i" if not), then "DONE"

Every mode exits when stdin closes or after a bounded time, so a dying test leaves no peer behind.
"""
import os
import sys
import time

import libtorrent as lt

# ltcommon.py sits one folder up.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from ltcommon import ALL_ALERTS, create, say, settings, stdin_closed  # noqa: E402

LIFETIME_S = 120


def session():
    return lt.session(settings(ALL_ALERTS))


def log_alerts(ses):
    for a in ses.pop_alerts():
        sys.stderr.write('lt: %s: %s\n' % (a.what(), a.message()))
        # The test counts pieces that passed libtorrent's SHA-1 check, and fails on any that did not.
        if isinstance(a, lt.piece_finished_alert):
            say('PIECE %d' % a.piece_index)
        elif isinstance(a, lt.hash_failed_alert):
            say('HASHFAILED %d' % a.piece_index)
    sys.stderr.flush()


def run(mode, torrent, save_path, peer_port=None):
    ses = session()
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    h = ses.add_torrent(params)
    deadline = time.time() + LIFETIME_S
    ready = False
    done = False
    while time.time() < deadline and not stdin_closed():
        # Status first, alerts second: a piece that completed before this status was taken has
        # its alert queued already, so every PIECE line goes out before DONE.
        st = h.status()
        log_alerts(ses)
        # Announce the port only once the files are checked: a torrent still checking
        # does not serve peers yet.
        if not ready and st.state in (lt.torrent_status.seeding, lt.torrent_status.downloading):
            ready = True
            say('PORT %d' % ses.listen_port())
            if peer_port is not None:
                h.connect_peer(('127.0.0.1', int(peer_port)))
        if mode == 'leech' and ready and not done and st.is_seeding:
            done = True
            say('DONE')
        time.sleep(0.05)
    log_alerts(ses)


if __name__ == '__main__':
    if sys.argv[1] == 'create':
        create(*sys.argv[2:5])
    else:
        run(sys.argv[1], *sys.argv[2:])
