"""libtorrent-rasterbar for the time-to-metadata benchmark (benchmarks/metadata.sh).

  lt_magnet.py seed TORRENT SAVE_PATH     seed on 127.0.0.1; prints "PORT n" once checked
  lt_magnet.py fetch MAGNET SAVE_PATH [TICK_MS]
                                          add the magnet link, print "METADATA ms" when the
                                          info dictionary arrived and passed libtorrent's check
                                          (ms from add_torrent), then exit; TICK_MS sets
                                          libtorrent's tick_interval (default 500 ms), the
                                          timer on which it connects to new peers

Exits when stdin closes or after a bounded time, so a dying benchmark leaves nothing behind.
"""
import os
import sys
import time

import libtorrent as lt

# The libtorrent helpers' shared module lives with the interop tests' scripts (as lt_node.py,
# which benchmarks/throughput.sh runs from there).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', '..', '..', 'itests', 'src', 'test', 'resources', 'python'))
from ltcommon import STATUS_AND_ERRORS, say, settings as loopback, stdin_closed  # noqa: E402

LIFETIME_S = 600


def session(tick_ms=None):
    settings = loopback(STATUS_AND_ERRORS)
    if tick_ms:
        settings['tick_interval'] = int(tick_ms)
    return lt.session(settings)


def seed(torrent, save_path):
    ses = session()
    h = ses.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save_path})
    deadline = time.time() + LIFETIME_S
    ready = False
    while time.time() < deadline and not stdin_closed():
        ses.pop_alerts()
        if not ready and h.status().state == lt.torrent_status.seeding:
            ready = True
            say('PORT %d' % ses.listen_port())
        time.sleep(0.01)


def fetch(magnet, save_path, tick_ms=None):
    ses = session(tick_ms)
    params = lt.parse_magnet_uri(magnet)
    params.save_path = save_path
    started = time.perf_counter()
    ses.add_torrent(params)
    deadline = time.time() + 60
    while time.time() < deadline:
        ses.wait_for_alert(5)
        for a in ses.pop_alerts():
            if isinstance(a, lt.metadata_received_alert):
                say('METADATA %.3f' % ((time.perf_counter() - started) * 1000))
                return
    say('TIMEOUT')


if __name__ == '__main__':
    if sys.argv[1] == 'seed':
        seed(sys.argv[2], sys.argv[3])
    else:
        fetch(*sys.argv[2:5])
