"""A libtorrent-rasterbar node for engine interop tests and benchmarks.

  lt_node.py seed TORRENT SAVE_PATH [--lifetime S] [--upload-limit BYTES_PER_S]
  lt_node.py leech TORRENT SAVE_PATH [--peer PORT]... [--lifetime S]   (TORRENT may be a magnet: URI)
  either with [--encryption forced|enabled]: MSE forced (RC4 only, both ways) or enabled (libtorrent's
  default: dials encrypted first, accepts both); without it plaintext only
  with --utp-only: libtorrent speaks uTP only (TCP off both ways; uTP listens on the PORT number, UDP)
  with --user-agent UA: the client name libtorrent sends (the extension handshake's v)

Prints, one per line on stdout:
  PORT n                      once the torrent is checked and peers can connect
  PROGRESS pieces total       about once a second
  FIRST                       when the first payload block left (seed) or arrived (leech)
  DONE seconds cpu_seconds    when every piece passed libtorrent's hash check (leech)
  HASHFAILED i                a piece that failed libtorrent's check
Reads commands on stdin: "CONNECT port" adds a peer on 127.0.0.1; "STATS" prints
"STATS downloaded uploaded cpu_seconds". Exits when stdin closes or the lifetime ends.
The loop sleeps in libtorrent's wait_for_alert, so FIRST and DONE are printed as their alert is
posted (benchmarks/throughput.sh times transfers by them); stdin is looked at every 50 ms.
"""
import os
import resource
import select
import sys
import time

import libtorrent as lt

# ltcommon.py sits beside this script (the interop tests copy both), on the path as its folder.
from ltcommon import STATUS_AND_ERRORS, say, settings as loopback


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


ENCRYPTION = {
    'forced': {'out_enc_policy': 0, 'in_enc_policy': 0, 'allowed_enc_level': 2},  # pe_forced, pe_rc4
    'enabled': {'out_enc_policy': 1, 'in_enc_policy': 1, 'allowed_enc_level': 3},  # pe_enabled, pe_both
}


def session(upload_limit, encryption=None, utp_only=False, user_agent=None):
    settings = loopback(STATUS_AND_ERRORS)
    if user_agent:
        settings['user_agent'] = user_agent
    if utp_only:
        # uTP both ways and no TCP at all: a peer reachable only over uTP.
        settings.update({'enable_outgoing_tcp': False, 'enable_incoming_tcp': False,
                         'enable_outgoing_utp': True, 'enable_incoming_utp': True})
    if encryption:
        settings.update(ENCRYPTION[encryption])
    if upload_limit:
        settings['upload_rate_limit'] = upload_limit
    ses = lt.session(settings)
    if upload_limit:
        # Loopback peers are "local" and exempt from rate limits unless every address is put
        # in the global peer class, which carries the limit.
        everyone = lt.ip_filter()
        everyone.add_rule('0.0.0.0', '255.255.255.255', 1 << lt.session.global_peer_class_id)
        ses.set_peer_class_filter(everyone)
    return ses


def main():
    mode, torrent, save_path = sys.argv[1], sys.argv[2], sys.argv[3]
    args = sys.argv[4:]
    peers = [int(args[i + 1]) for i, a in enumerate(args) if a == '--peer']
    lifetime = float(args[args.index('--lifetime') + 1]) if '--lifetime' in args else 300
    upload_limit = int(args[args.index('--upload-limit') + 1]) if '--upload-limit' in args else 0
    encryption = args[args.index('--encryption') + 1] if '--encryption' in args else None

    user_agent = args[args.index('--user-agent') + 1] if '--user-agent' in args else None
    ses = session(upload_limit, encryption, '--utp-only' in args, user_agent)
    # Block alerts only until the first payload block: one per 16 KiB block would cost libtorrent
    # CPU for the whole transfer.
    first_block = (lt.block_uploaded_alert, lt.block_finished_alert)
    ses.apply_settings({'alert_mask': STATUS_AND_ERRORS | lt.alert.category_t.upload_notification
                        | lt.alert.category_t.block_progress_notification})
    first = False
    if torrent.startswith('magnet:'):
        # A magnet (btih and/or btmh): the metadata comes from the peers; a v2 one's piece layers
        # too (hash requests), as they are not in the info dictionary.
        ti = None
        params = lt.parse_magnet_uri(torrent)
        params.save_path = save_path
        h = ses.add_torrent(params)
    else:
        ti = lt.torrent_info(torrent)
        h = ses.add_torrent({'ti': ti, 'save_path': save_path})
    started = time.time()
    deadline = started + lifetime
    ready = False
    done = False
    last_progress = 0
    while time.time() < deadline:
        ses.wait_for_alert(50)
        readable, _, _ = select.select([sys.stdin], [], [], 0)
        if readable:
            line = sys.stdin.readline()
            if line == '':
                break
            parts = line.split()
            if parts and parts[0] == 'CONNECT':
                h.connect_peer(('127.0.0.1', int(parts[1])))
            elif parts and parts[0] == 'STATS':
                st = h.status()
                say('STATS %d %d %.3f' % (st.total_payload_download, st.total_payload_upload, cpu_seconds()))
        for a in ses.pop_alerts():
            if not first and isinstance(a, first_block):
                first = True
                say('FIRST')
                ses.apply_settings({'alert_mask': STATUS_AND_ERRORS})
            elif isinstance(a, lt.hash_failed_alert):
                say('HASHFAILED %d' % a.piece_index)
            elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                sys.stderr.write('lt: %s\n' % a.message())
        st = h.status()
        if not ready and st.state in (lt.torrent_status.seeding, lt.torrent_status.downloading,
                                      lt.torrent_status.finished, lt.torrent_status.downloading_metadata):
            ready = True
            started = time.time()
            say('PORT %d' % ses.listen_port())
            for p in peers:
                h.connect_peer(('127.0.0.1', p))
        if time.time() - last_progress >= 1:
            last_progress = time.time()
            known = ti or h.torrent_file()
            say('PROGRESS %d %d' % (st.num_pieces, known.num_pieces() if known else 0))
        if ready and not done and mode == 'leech' and st.is_seeding:
            done = True
            say('DONE %.3f %.3f' % (time.time() - started, cpu_seconds()))
    sys.exit(0)


if __name__ == '__main__':
    main()
