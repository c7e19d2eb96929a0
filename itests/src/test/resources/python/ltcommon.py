"""What the libtorrent helper scripts share: loopback-only session settings, line output to
the Java side, the stdin watch that ends a helper with its test, and .torrent creation.

Scripts import it by path: those in a sub-folder put this folder on sys.path first; the
interop tests copy it beside lt_node.py; benchmarks/src/main/python/lt_magnet.py reaches it
in the itests tree.
"""
import os
import select
import sys

import libtorrent as lt

STATUS_AND_ERRORS = lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
ALL_ALERTS = lt.alert.category_t.all_categories


def settings(alert_mask, plaintext=True):
    """Session settings for a peer on 127.0.0.1 only: no DHT, LSD, port mapping or uTP."""
    s = {
        'listen_interfaces': '127.0.0.1:0',
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'alert_mask': alert_mask,
    }
    if plaintext:
        s['out_enc_policy'] = 2  # plaintext: Piecework does not do MSE
        s['in_enc_policy'] = 2
    return s


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def stdin_closed():
    readable, _, _ = select.select([sys.stdin], [], [], 0)
    return bool(readable) and sys.stdin.readline() == ''


def create(data_file, out, piece_length, flags=None):
    """Writes a .torrent for one file; flags as lt.create_torrent takes them, or its default."""
    fs = lt.file_storage()
    lt.add_files(fs, data_file)
    if flags is None:
        ct = lt.create_torrent(fs, int(piece_length))
    else:
        ct = lt.create_torrent(fs, int(piece_length), flags=flags)
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(data_file)))
    with open(out, 'wb') as f:
        f.write(lt.bencode(ct.generate()))
