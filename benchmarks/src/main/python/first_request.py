"""Time from starting `bin/piecework get` to its first block request, on loopback.

  first_request.py PIECEWORK TORRENT ROUNDS

Plays a seeder that has every piece: listens on a free 127.0.0.1 port, answers the
handshake, sends a full bitfield and an unchoke, and notes when the first `request`
message (id 6) arrives. Each round starts `PIECEWORK get TORRENT --peer 127.0.0.1:PORT
--port 0` into a fresh folder (its DHT pointed at a dead loopback address, its home at a
temporary folder so the user's DHT state is untouched), stops it with SIGTERM once the
request came, and prints the seconds from process start to that request, the CPU time
(user + system, all threads) the process had used when the request arrived (read from
/proc/PID/stat; steadier than wall time on a busy machine), and the CPU time of the whole run,
its stop included. Last line: the medians.
"""
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

PSTR = b"\x13BitTorrent protocol"


def info_hash(torrent):
    import hashlib
    data = open(torrent, "rb").read()
    start = data.index(b"4:info") + len(b"4:info")
    end = _skip(data, start)
    return hashlib.sha1(data[start:end]).digest(), _pieces(data[start:end])


def _skip(b, i):
    c = b[i:i + 1]
    if c == b"i":
        return b.index(b"e", i) + 1
    if c in (b"l", b"d"):
        i += 1
        while b[i:i + 1] != b"e":
            i = _skip(b, i)
        return i + 1
    colon = b.index(b":", i)
    return colon + 1 + int(b[i:colon])


def _pieces(info):
    k = info.index(b"6:pieces") + len(b"6:pieces")
    colon = info.index(b":", k)
    return int(info[k:colon]) // 20


def read_exactly(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def one_round(piecework, torrent, ih, pieces, timeout=30.0):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(timeout)
    port = server.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env["PIECEWORK_JAVA_OPTS"] = (env.get("PIECEWORK_JAVA_OPTS", "") + " -Duser.home=" + tmp).strip()
        cmd = [piecework, "get", torrent, "-o", tmp, "--peer", "127.0.0.1:%d" % port, "--port", "0",
               "--dht-bootstrap", "127.0.0.1:9"]
        t0 = time.monotonic()
        # FIRST_REQUEST_STDERR=FILE keeps the runs' stderr (appended), for their log lines
        err = open(os.environ["FIRST_REQUEST_STDERR"], "ab") if os.environ.get("FIRST_REQUEST_STDERR") \
            else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        took = cpu_at_request = None
        try:
            conn, _ = server.accept()
            conn.settimeout(timeout)
            read_exactly(conn, 68)  # the leecher's handshake
            conn.sendall(PSTR + bytes(8) + ih + b"-FR0001-" + bytes(12))
            bitfield = bytearray((pieces + 7) // 8)
            for i in range(pieces):
                bitfield[i // 8] |= 0x80 >> (i % 8)
            conn.sendall(struct.pack(">IB", 1 + len(bitfield), 5) + bytes(bitfield))
            conn.sendall(struct.pack(">IB", 1, 1))  # unchoke
            while True:
                length = struct.unpack(">I", read_exactly(conn, 4))[0]
                if length == 0:
                    continue
                body = read_exactly(conn, length)
                if body[0] == 6:
                    took = time.monotonic() - t0
                    cpu_at_request = cpu_so_far(proc.pid)
                    break
        finally:
            proc.send_signal(signal.SIGTERM)
            killer = threading.Timer(15, proc.kill)  # a run that ignores SIGTERM
            killer.start()
            _, _, usage = os.wait4(proc.pid, 0)
            killer.cancel()
            proc.returncode = 0
            server.close()
            if err is not subprocess.DEVNULL:
                err.close()
        return took, cpu_at_request, usage.ru_utime + usage.ru_stime


def cpu_so_far(pid):
    """User + system CPU seconds of a running process, all its threads, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    piecework, torrent, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ih, pieces = info_hash(torrent)
    times, firsts, cpus = [], [], []
    for _ in range(rounds):
        t, first, cpu = one_round(piecework, torrent, ih, pieces)
        times.append(t)
        firsts.append(first)
        cpus.append(cpu)
        print("get to first request: %.2f s (CPU %.2f s by then, run's CPU %.2f s)" % (t, first, cpu), flush=True)
    print("median of %d: %.2f s wall (%.2f-%.2f s), %.2f s CPU to the request (%.2f-%.2f s), %.2f s CPU of the whole run"
          % (rounds, statistics.median(times), min(times), max(times), statistics.median(firsts), min(firsts),
             max(firsts), statistics.median(cpus)))


if __name__ == "__main__":
    main()
