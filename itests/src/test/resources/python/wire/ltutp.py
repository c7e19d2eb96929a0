"""ltpeer.py's modes with libtorrent speaking uTP only (TCP off both ways), for the uTP interop test.

  ltutp.py seed TORRENT SAVE_PATH      seed over uTP; prints "PORT n" (the UDP port is the same number)
"""
import os
import sys

import libtorrent as lt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import ltpeer  # noqa: E402
from ltcommon import ALL_ALERTS, settings  # noqa: E402


def utp_only_session():
    s = settings(ALL_ALERTS)
    s.update({'enable_outgoing_tcp': False, 'enable_incoming_tcp': False,
              'enable_outgoing_utp': True, 'enable_incoming_utp': True})
    return lt.session(s)


if __name__ == '__main__':
    ltpeer.session = utp_only_session
    ltpeer.run(sys.argv[1], *sys.argv[2:])
