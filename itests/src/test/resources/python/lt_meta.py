"""libtorrent-rasterbar as an independent reference for .torrent files.

Run with /usr/bin/python3 (Debian's python3-libtorrent). Output is one `key=value` per line
so the Java tests can read it without a JSON library.

  dump TORRENT                 what libtorrent reads from a .torrent
  check TORRENT SAVE_PATH      libtorrent hashes the data on disk against the torrent
  create SRC OUT PIECE_SIZE [--pad] [--v2 | --hybrid] [--tracker URL]... [--web-seed URL]... [--private]
"""
import hashlib
import sys
import time

import libtorrent as lt


def dump(path):
    ti = lt.torrent_info(path)
    fs = ti.files()
    ih = ti.info_hashes()
    print("info_hash=%s" % ih.v1)
    print("has_v1=%s" % str(ih.has_v1()).lower())
    if ih.has_v2():
        print("info_hash_v2=%s" % ih.v2)
    print("name=%s" % ti.name())
    print("piece_length=%d" % ti.piece_length())
    print("num_pieces=%d" % ti.num_pieces())
    print("total_size=%d" % ti.total_size())
    print("private=%s" % str(ti.priv()).lower())
    hashes = b"".join(ti.hash_for_piece(i) for i in range(ti.num_pieces()))
    print("pieces_sha1=%s" % hashlib.sha1(hashes).hexdigest())
    for i in range(fs.num_files()):
        pad = bool(fs.file_flags(i) & lt.file_storage.flag_pad_file)
        print("file=%d\t%d\t%s\t%s" % (fs.file_offset(i), fs.file_size(i), str(pad).lower(), fs.file_path(i)))
        if ih.has_v2() and not pad and fs.file_size(i) > 0:
            print("root=%s\t%s" % (fs.file_path(i), fs.root(i)))
    for t in ti.trackers():
        print("tracker=%d\t%s" % (t.tier, t.url))
    for w in ti.web_seeds():
        print("web_seed=%s" % w["url"])


def check(path, save_path, timeout=600):
    ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                      "enable_upnp": False, "enable_natpmp": False,
                      "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification})
    ti = lt.torrent_info(path)
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    deadline = time.time() + timeout
    checked = False
    while not checked and time.time() < deadline:
        ses.wait_for_alert(500)
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_checked_alert):
                checked = True
            elif isinstance(a, lt.torrent_error_alert):
                sys.exit("libtorrent: " + a.message())
    if not checked:
        sys.exit("libtorrent did not finish checking within %d s" % timeout)
    st = h.status()
    print("num_pieces=%d" % ti.num_pieces())
    print("have_pieces=%d" % st.num_pieces)


def create(src, out, piece_size, args):
    flags = lt.create_torrent.v1_only
    if "--v2" in args:
        flags = lt.create_torrent.v2_only
    elif "--hybrid" in args:
        flags = 0  # libtorrent 2.0's default: v1 + v2
    if "--pad" in args:
        flags |= lt.create_torrent.canonical_files
    fs = lt.file_storage()
    lt.add_files(fs, src)
    ct = lt.create_torrent(fs, piece_size, flags=flags)
    tier = 0
    for i, a in enumerate(args):
        if a == "--tracker":
            ct.add_tracker(args[i + 1], tier)
            tier += 1
        elif a == "--web-seed":
            ct.add_url_seed(args[i + 1])
    if "--private" in args:
        ct.set_priv(True)
    import os
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(src)))
    with open(out, "wb") as f:
        f.write(lt.bencode(ct.generate()))
    print("created=%s" % out)


def main():
    cmd = sys.argv[1]
    if cmd == "dump":
        dump(sys.argv[2])
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3])
    elif cmd == "create":
        create(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
