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
import select
import sys
import time

import libtorrent as lt

LIFETIME_S = 120


def session():
    return lt.session({
        'listen_interfaces': '127.0.0.1:0',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        'out_enc_policy': 2, 'in_enc_policy': 2,  # plaintext: Piecework does not do MSE
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'alert_mask': lt.alert.category_t.all_categories,
    })


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def stdin_closed():
    readable, _, _ = select.select([sys.stdin], [], [], 0)
    return bool(readable) and sys.stdin.readline() == ''


def log_alerts(ses):
    for a in ses.pop_alerts():
        sys.stderr.write('lt: %s: %s\n' % (a.what(), a.message()))
        # The test counts pieces that passed libtorrent's SHA-1 check, and fails on any that did not.
        if isinstance(a, lt.piece_finished_alert):
            say('PIECE %d' % a.piece_index)
        elif isinstance(a, lt.hash_failed_alert):
            say('HASHFAILED %d' % a.piece_index)
    sys.stderr.flush()


def create(data_file, out, piece_length):
    fs = lt.file_storage()
    lt.add_files(fs, data_file)
    ct = lt.create_torrent(fs, int(piece_length))
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(data_file)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(ct.generate()))


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
        log_alerts(ses)
        st = h.status()
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
