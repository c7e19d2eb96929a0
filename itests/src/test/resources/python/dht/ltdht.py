"""A libtorrent-rasterbar DHT node on 127.0.0.1 (or on $LTDHT_HOST, e.g. ::1), for DHT interop tests.

  ltdht.py node [TORRENT SAVE_PATH]   a DHT node; with a torrent, also seeds it
                                     (make the torrent with ../tracker/ltseeder.py create)
  ltdht.py magnet HEX SAVE_PATH       a DHT node that, on "GET", leeches
                                     magnet:?xt=urn:btih:HEX (no tracker, no peer address)

Prints, one per line on stdout:
  DHTPORT n                    the UDP port of the DHT node (also the TCP port of the seeder)
  SEEDING n                    with a torrent: once checked and seeding on port n
  PEERS hex ip:port ...        for each dht_get_peers reply with peers; "PEERS hex" alone when
                               a lookup brought none within 3 s
  ANNOUNCED hex ip:port        another node announced to this one (announce_peer received)
  NODES n                      answer to NODES: nodes in the routing table
  PEER ip:port dht=0|1 out=0|1  magnet: a peer first seen, whether libtorrent learned it from
                               the DHT and whether libtorrent dialled it
  METADATA                     magnet: the info dictionary arrived (ut_metadata)
  DONE                         magnet: every piece passed libtorrent's hash check
Reads commands on stdin: "ADD port" adds a DHT node on 127.0.0.1 (or $LTDHT_HOST); "GETPEERS hex" starts a
get_peers lookup; "REANNOUNCE" forces the torrent's DHT
announce (and lookup); "NODES"; "GET" (magnet) adds the magnet. Exits when stdin closes or after a bounded time.
"""
import os
import select
import sys
import time

import libtorrent as lt

LIFETIME_S = 180
HOST = os.environ.get('LTDHT_HOST', '127.0.0.1')


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def session():
    return lt.session({
        'listen_interfaces': ('[%s]:0' if ':' in HOST else '%s:0') % HOST,
        'enable_dht': True, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'dht_bootstrap_nodes': '',
        # Loopback nodes share one address: libtorrent's defaults keep one node per IP, insist
        # on BEP 42 node ids and skip such nodes in searches.
        'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
        'dht_enforce_node_id': False, 'dht_prefer_verified_node_ids': False,
        'dht_ignore_dark_internet': False,
        'allow_multiple_connections_per_ip': True,
        'out_enc_policy': 2, 'in_enc_policy': 2,
        'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'alert_mask': lt.alert.category_t.all_categories,
    })


def sha1(hexdigits):
    return lt.sha1_hash(bytes.fromhex(hexdigits))


ANSWER_S = 3
pending = {}  # info-hash hex -> when a GETPEERS without reply says so


def command(ses, handle, line):
    words = line.split()
    if not words:
        return
    if words[0] == 'ADD':
        ses.add_dht_node((HOST, int(words[1])))
    elif words[0] == 'GETPEERS':
        ses.dht_get_peers(sha1(words[1]))
        pending[words[1].lower()] = time.time() + ANSWER_S
    elif words[0] == 'REANNOUNCE' and handle is not None:
        handle.force_dht_announce()
    elif words[0] == 'NODES':
        say('NODES %d' % ses.status().dht_nodes)


def node(torrent=None, save_path=None, magnet=None):
    ses = session()
    say('DHTPORT %d' % ses.listen_port())
    handle = None
    if torrent:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(torrent)
        params.save_path = save_path
        handle = ses.add_torrent(params)
    seeding = False
    seen = set()
    deadline = time.time() + LIFETIME_S
    pending_input = ''
    while time.time() < deadline:
        readable, _, _ = select.select([sys.stdin], [], [], 0.05)
        if readable:
            # Every line that arrived, not one per wake-up: sys.stdin.readline() would keep the
            # rest in its buffer, where select() no longer sees it, until more input came.
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                return
            pending_input += chunk.decode()
            while '\n' in pending_input:
                line, pending_input = pending_input.split('\n', 1)
                if magnet and handle is None and line.strip() == 'GET':
                    # Only the info-hash: peers must come from the DHT, the info dictionary from them.
                    params = lt.parse_magnet_uri('magnet:?xt=urn:btih:' + magnet)
                    params.save_path = save_path
                    handle = ses.add_torrent(params)
                command(ses, handle, line)
        for a in ses.pop_alerts():
            sys.stderr.write('lt: %s: %s\n' % (a.what(), a.message()))
            if isinstance(a, lt.dht_get_peers_reply_alert):
                pending.pop(str(a.info_hash), None)
                say('PEERS %s %s' % (str(a.info_hash), ' '.join('%s:%d' % p for p in a.peers())))
            elif isinstance(a, lt.dht_announce_alert):
                say('ANNOUNCED %s %s:%d' % (str(a.info_hash), a.ip, a.port))
            elif isinstance(a, lt.metadata_received_alert):
                say('METADATA')
        sys.stderr.flush()
        for h, until in list(pending.items()):
            if time.time() > until:
                del pending[h]
                say('PEERS %s' % h)
        if magnet and handle is not None:
            for p in handle.get_peer_info():
                key = '%s:%d' % p.ip
                if key not in seen:
                    seen.add(key)
                    say('PEER %s dht=%d out=%d' % (key, 1 if p.source & lt.peer_info.dht else 0,
                                                   1 if p.flags & lt.peer_info.outgoing_connection else 0))
        if handle is not None and not seeding and handle.status().state == lt.torrent_status.seeding:
            seeding = True
            say('DONE' if magnet else 'SEEDING %d' % ses.listen_port())


if __name__ == '__main__':
    if sys.argv[1] == 'magnet':
        node(save_path=sys.argv[3], magnet=sys.argv[2])
    else:
        node(*sys.argv[2:4])
