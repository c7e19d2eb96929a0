# Re-captures libtorrent-hash-messages.txt: /usr/bin/python3 capture-libtorrent-hash-messages.py (prints sent/msg lines).
import libtorrent as lt, os, socket, struct, time, hashlib, sys
import tempfile; d = tempfile.mkdtemp()
data = bytes((i * 7 + (i >> 9)) & 0xff for i in range(200000))
open(os.path.join(d, 'f.bin'), 'wb').write(data)
fs = lt.file_storage()
lt.add_files(fs, os.path.join(d, 'f.bin'))
ct = lt.create_torrent(fs, 32768, flags=lt.create_torrent.v2_only)
lt.set_piece_hashes(ct, d)
tb = lt.bencode(ct.generate())
open(os.path.join(d, 'f.torrent'), 'wb').write(tb)
ti = lt.torrent_info(tb)
ses = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,
                  'enable_upnp': False, 'enable_natpmp': False, 'alert_mask': 0})
h = ses.add_torrent({'ti': ti, 'save_path': d})
for _ in range(100):
    if h.status().is_seeding: break
    time.sleep(0.1)
port = ses.listen_port()
ih2 = ti.info_hashes().v2.to_bytes()
root = ti.files().root(0).to_bytes()
print('port', port, 'seeding', h.status().is_seeding, 'root', root.hex())
s = socket.create_connection(('127.0.0.1', port))
reserved = bytearray(8); reserved[5] |= 0x10; reserved[7] |= 0x04 | 0x10
s.sendall(b'\x13BitTorrent protocol' + bytes(reserved) + ih2[:20] + b'-XX0000-' + os.urandom(12))
def recv_exact(n):
    b = b''
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise EOFError
        b += c
    return b
hs = recv_exact(68); print('handshake reserved', hs[20:28].hex())
def req(base, index, length, proof, mid=21):
    return struct.pack('>IB', 49, mid) + root + struct.pack('>IIII', base, index, length, proof)
reqs = [req(1, 0, 8, 2), req(0, 2, 2, 3), req(1, 0, 8, 0), req(0, 0, 16, 3)]
for r in reqs:
    s.sendall(r); print('sent', r.hex())
s.settimeout(5)
got = 0
try:
    while got < len(reqs):
        n = struct.unpack('>I', recv_exact(4))[0]
        if n == 0: continue
        body = recv_exact(n)
        if body[0] in (21, 22, 23):
            print('msg', body[0], (struct.pack('>I', n) + body).hex()); got += 1
        else:
            print('other', body[0], n)
except Exception as e:
    print('stop', repr(e))
ses.pause()
