"""Debian's python3-transmissionrpc (0.11) as a second Transmission remote for TransmissionRpcIT.

  transmissionrpc_client.py PORT TORRENT_PATH DOWNLOAD_DIR

Adds the .torrent by its path (the library sends a path ending in .torrent as "filename", for
the daemon to read), lists the torrents and removes it, keeping the data. Prints one line per
step: "ADDED name hash", "LISTED name" for each torrent, "REMOVED id". Any RPC error raises
and exits non-zero.
"""
import sys

import transmissionrpc


def main():
    port, torrent, download_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    client = transmissionrpc.Client('127.0.0.1', port=port, timeout=30)
    added = client.add_torrent(torrent, download_dir=download_dir, paused=True)
    client_torrent = client.get_torrent(added.id)
    print('ADDED', client_torrent.name, client_torrent.hashString, flush=True)
    for t in client.get_torrents():
        print('LISTED', t.name, t.id, t.status, flush=True)
    client.remove_torrent(added.id, delete_data=False)
    print('REMOVED', added.id, flush=True)


if __name__ == '__main__':
    main()
