"""Loopback throughput of the distribution as shipped against libtorrent; run by benchmarks/throughput.sh.

  throughput.py PIECEWORK LT_NODE SIZE_MIB PIECE_KIB... [--rounds N] [--baseline OTHER_PIECEWORK]

For each piece size, one single-file torrent of SIZE_MIB random bytes and, round by round (a
warm-up round, then N measured), three transfers on 127.0.0.1:
  lt -> lt   lt_node.py seed -> lt_node.py leech
  lt -> pw   lt_node.py seed -> PIECEWORK get (default configuration, --port 0)
  pw -> lt   PIECEWORK seed (--port 0) -> lt_node.py leech
Rate: payload bytes / (completion - first payload byte). The first byte is libtorrent's first
block alert on the libtorrent side of the transfer: for the two downloads from the libtorrent
seeder (lt -> lt, lt -> pw) its first block_uploaded_alert, for the two uploads to the libtorrent
leecher (lt -> lt, pw -> lt) its first block_finished_alert; lt_node.py prints FIRST as the alert
is posted. Completion: the leecher's DONE line (lt), or get's "complete:" line (pw). Every line
is time-stamped here as it arrives, and each process's CPU (utime + stime of /proc/PID/stat,
all threads) is read at that moment, so both sides are timed and charged the same way. For get,
the same CPU is also printed by thread kind (JIT compiler threads, hashing, disk, event loops),
with its read and write system calls over the same span (/proc/PID/io: file and socket together).
--baseline adds OTHER_PIECEWORK's get and seed to every round (before/after, same load).
Piecework's start-up (process start to first payload byte: JVM, Felix, for seed the data check)
is reported apart; its shutdown after "complete:" is in neither figure.
"""
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TICK = os.sysconf('SC_CLK_TCK')
PY = '/usr/bin/python3'


def cpu(pid):
    """utime + stime of a process, all its threads, in seconds."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Node:
    """A child process whose output lines are kept with the time and every node's CPU when read."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.started = time.monotonic()
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env)
        self.partial = {self.p.stdout.fileno(): b'', self.p.stderr.fileno(): b''}
        self.lines = []  # (line, time, {node name: cpu}) not yet awaited
        self.stderr = []

    def close(self):
        if self.p.poll() is None:
            if self.name.startswith('pw'):
                self.p.send_signal(signal.SIGINT)  # Ctrl-C: Piecework saves its state and exits
            self.p.stdin.close()
            try:
                self.p.wait(20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        for stream in (self.p.stdout, self.p.stderr):
            stream.close()


def threads_cpu(pid):
    """CPU seconds by thread kind (the name with digits dropped: GC, Piecework's pools; the C1 and C2
    compiler threads kept apart)."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/stat' % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        name = name if name.startswith(('C1 ', 'C2 ')) else re.sub(r'\d+', 'N', name)
        fields = stat.rsplit(')', 1)[1].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / TICK
    return out


def syscalls(pid):
    """Read and write system calls of a process so far (/proc/PID/io syscr, syscw): file and socket."""
    try:
        with open('/proc/%d/io' % pid) as f:
            io = dict(line.split(': ') for line in f.read().splitlines())
        return int(io['syscr']), int(io['syscw'])
    except (OSError, KeyError, ValueError):
        return 0, 0


def await_line(nodes, node, pattern, timeout=900):
    """Reads every node's output until `node` has printed a line matching `pattern`; returns
    (match, time, {node name: cpu}) as sampled when the line was read. Earlier lines are skipped."""
    deadline = time.monotonic() + timeout
    regex = re.compile(pattern)
    while True:
        while node.lines:
            line, now, cpus = node.lines.pop(0)
            m = regex.search(line)
            if m:
                return m, now, cpus
        left = deadline - time.monotonic()
        if left <= 0 or not node.partial:
            raise SystemExit('%s did not print /%s/ (%s); stderr: %s' % (
                node.name, pattern, 'timeout' if left <= 0 else 'exit %s' % node.p.wait(), node.stderr[-5:]))
        readable, _, _ = select.select([fd for n in nodes for fd in n.partial], [], [], left)
        now = time.monotonic()
        cpus = {n.name: cpu(n.p.pid) for n in nodes if n.p.poll() is None}
        for n in nodes:
            for fd in [fd for fd in n.partial if fd in readable]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    del n.partial[fd]  # the process closed it: it ended
                    continue
                *lines, n.partial[fd] = (n.partial[fd] + chunk).split(b'\n')
                for raw in lines:
                    line = raw.decode('utf-8', 'replace')
                    if fd == n.p.stderr.fileno():
                        n.stderr.append(line)
                    if line.startswith('HASHFAILED'):
                        raise SystemExit('%s: %s' % (n.name, line))
                    n.lines.append((line, now, cpus))


# LT_EXTRA: more lt_node.py options for every libtorrent node, e.g. --utp-only (uTP both ways).
LT_EXTRA = os.environ.get('LT_EXTRA', '').split()


def lt_seed(lt_node, torrent, data_dir):
    return Node('lt seed', [PY, lt_node, 'seed', torrent, data_dir, '--lifetime', '900'] + LT_EXTRA)


def lt_leech(lt_node, torrent, down, port):
    return Node('lt leech', [PY, lt_node, 'leech', torrent, down, '--peer', str(port), '--lifetime', '900']
                + LT_EXTRA)


def lt_to_lt(cfg, torrent, data_dir, down):
    seeder = lt_seed(cfg['lt_node'], torrent, data_dir)
    try:
        port = int(await_line([seeder], seeder, r'^PORT (\d+)')[0].group(1))
        leecher = lt_leech(cfg['lt_node'], torrent, down, port)
        nodes = [seeder, leecher]
        try:
            _, t_up, c_up = await_line(nodes, seeder, r'^FIRST')
            _, t_down, c_down = await_line(nodes, leecher, r'^FIRST')
            _, t_done, c_done = await_line(nodes, leecher, r'^DONE')
            return {'seconds': t_done - t_up, 'seconds_up': t_done - t_down,
                    'leech_cpu': c_done['lt leech'] - c_up['lt leech'],
                    'seed_cpu': c_done['lt seed'] - c_down['lt seed']}
        finally:
            leecher.close()
    finally:
        seeder.close()


def pw_env(state):
    env = dict(os.environ)
    # Resume data in the run's folder, not ~/.local/state: each round starts fresh.
    env['PIECEWORK_JAVA_OPTS'] = (env.get('PIECEWORK_JAVA_OPTS', '') + ' -Dpiecework.state.home=' + state).strip()
    return env


def lt_to_pw(cfg, torrent, data_dir, down, piecework=None):
    seeder = lt_seed(cfg['lt_node'], torrent, data_dir)
    try:
        port = int(await_line([seeder], seeder, r'^PORT (\d+)')[0].group(1))
        get = Node('pw get', [piecework or cfg['piecework'], 'get', torrent, '-o', down, '--peer', '127.0.0.1:%d' % port,
                              '--port', '0'], pw_env(os.path.join(down, '.state')))
        nodes = [seeder, get]
        try:
            _, t_first, c_first = await_line(nodes, seeder, r'^FIRST')
            threads_first = threads_cpu(get.p.pid)  # read just after the CPU figure, so a little late
            calls_first = syscalls(get.p.pid)
            _, t_done, c_done = await_line(nodes, get, r'^complete: ')
            threads_done = threads_cpu(get.p.pid)
            calls_done = syscalls(get.p.pid)
            lock, _, _ = await_line(nodes, get, r'^torrent lock: .*')
            by_thread = sorted(((v - threads_first.get(k, 0), k) for k, v in threads_done.items()), reverse=True)
            return {'seconds': t_done - t_first, 'leech_cpu': c_done['pw get'] - c_first['pw get'],
                    'seed_cpu': c_done['lt seed'] - c_first['lt seed'],
                    'start_seconds': t_first - get.started, 'start_cpu': c_first['pw get'],
                    'lock': lock.group(0),
                    'threads': ', '.join('%s %.2f' % (k, v) for v, k in by_thread if v >= 0.01)
                    + '; read/write syscalls %d / %d' % (calls_done[0] - calls_first[0], calls_done[1] - calls_first[1])}
        finally:
            get.close()
    finally:
        seeder.close()


def pw_to_lt(cfg, torrent, data_dir, down, piecework=None):
    seed = Node('pw seed', [piecework or cfg['piecework'], 'seed', torrent, '--data', data_dir, '--port', '0'],
                pw_env(os.path.join(down, '.state')))
    try:
        port = int(await_line([seed], seed, r'^seeding .* on port (\d+)')[0].group(1))
        leecher = lt_leech(cfg['lt_node'], torrent, down, port)
        nodes = [seed, leecher]
        try:
            _, t_first, c_first = await_line(nodes, leecher, r'^FIRST')
            _, t_done, c_done = await_line(nodes, leecher, r'^DONE')
            return {'seconds': t_done - t_first, 'leech_cpu': c_done['lt leech'] - c_first['lt leech'],
                    'seed_cpu': c_done['pw seed'] - c_first['pw seed'],
                    'start_seconds': t_first - seed.started, 'start_cpu': c_first['pw seed']}
        finally:
            leecher.close()
    finally:
        seed.close()


TRANSFERS = [('lt -> lt', lt_to_lt), ('lt -> pw get', lt_to_pw), ('pw seed -> lt', pw_to_lt)]


def transfers(cfg, round_number=1):
    """The three transfers, and with --baseline the same two of another build in every round:
    after the build under test in odd rounds, before it in even ones, so that neither build always
    runs in the same place of a round (after lt -> lt, or after the other's transfers)."""
    if not cfg.get('baseline'):
        return TRANSFERS
    base = cfg['baseline']
    baseline = [('lt -> base get', lambda c, t, d, o: lt_to_pw(c, t, d, o, base)),
                ('base seed -> lt', lambda c, t, d, o: pw_to_lt(c, t, d, o, base))]
    return TRANSFERS + baseline if round_number % 2 == 1 else TRANSFERS[:1] + baseline + TRANSFERS[1:]


def write_payload(path, size):
    with open(path, 'wb') as f:
        for left in range(size, 0, -(1 << 20)):
            f.write(os.urandom(min(left, 1 << 20)))
        f.flush()
        os.fsync(f.fileno())


def spread(values):
    return '%.2f [%.2f..%.2f]' % (statistics.median(values), min(values), max(values))


def run_piece_size(cfg, work, size, piece_kib):
    sys.path.insert(0, os.path.dirname(cfg['lt_node']))
    from ltcommon import create
    data_dir = os.path.join(work, 'seed')
    torrent = os.path.join(work, 'payload-%dk.torrent' % piece_kib)
    create(os.path.join(data_dir, 'payload.bin'), torrent, piece_kib << 10)
    results = {name: [] for name, _ in transfers(cfg)}
    for r in range(cfg['rounds'] + 1):
        for name, transfer in transfers(cfg, r):
            down = tempfile.mkdtemp(prefix='down-', dir=work)
            res = transfer(cfg, torrent, data_dir, down)
            shutil.rmtree(down)  # its dirty pages are dropped, not written back during the next transfer
            line = '  %s %-14s %7.0f MB/s  leech CPU %.2f s  seed CPU %.2f s' % (
                'warm-up' if r == 0 else 'round %d' % r, name, size / 1e6 / res['seconds'], res['leech_cpu'],
                res['seed_cpu'])
            if 'start_cpu' in res:
                line += '  start-up %.2f s wall, %.2f s CPU' % (res['start_seconds'], res['start_cpu'])
            print(line + ('\n    ' + res['lock'] if 'lock' in res else '')
                  + ('\n    CPU s by thread: ' + res['threads'] if 'threads' in res else ''), flush=True)
            if r > 0:
                results[name].append(res)
            time.sleep(cfg['settle'])
    return results


def table(size, piece_kib, results):
    gib = size / (1 << 30)
    print('\n%d MiB, %d KiB pieces, median [min..max] of %d rounds after a warm-up; load average %s' % (
        size >> 20, piece_kib, len(results['lt -> lt']), ' '.join(open('/proc/loadavg').read().split()[:3])))
    print('%-14s %22s %22s %22s %26s' % ('transfer', 'MB/s', 'leech CPU s/GiB', 'seed CPU s/GiB',
                                         'pw start-up wall / CPU s'))
    for name, rs in results.items():
        start = ''
        if rs and 'start_cpu' in rs[0]:
            start = '%.2f / %.2f' % (statistics.median(r['start_seconds'] for r in rs),
                                     statistics.median(r['start_cpu'] for r in rs))
        print('%-14s %22s %22s %22s %26s' % (
            name, spread([size / 1e6 / r['seconds'] for r in rs]), spread([r['leech_cpu'] / gib for r in rs]),
            spread([r['seed_cpu'] / gib for r in rs]), start))
    ltlt = results['lt -> lt']
    down = statistics.median(a['seconds'] / b['seconds'] for a, b in zip(ltlt, results['lt -> pw get']))
    up = statistics.median(a['seconds_up'] / b['seconds'] for a, b in zip(ltlt, results['pw seed -> lt']))
    cpu_ratio = statistics.median(b['leech_cpu'] / a['leech_cpu'] for a, b in zip(ltlt, results['lt -> pw get']))
    print('download rate pw/lt %.2f (goal >= 1.2), leech CPU pw/lt %.2f (goal <= 1.0), seed rate pw/lt %.2f '
          '(medians of the per-round ratios)' % (down, cpu_ratio, up))
    if 'lt -> base get' in results:
        print('baseline build: download rate base/lt %.2f, leech CPU base/lt %.2f, seed rate base/lt %.2f' % (
            statistics.median(a['seconds'] / b['seconds'] for a, b in zip(ltlt, results['lt -> base get'])),
            statistics.median(b['leech_cpu'] / a['leech_cpu'] for a, b in zip(ltlt, results['lt -> base get'])),
            statistics.median(a['seconds_up'] / b['seconds'] for a, b in zip(ltlt, results['base seed -> lt']))))
    for name in ('lt -> pw get', 'lt -> base get'):
        for r in results.get(name, []):
            print('  %s %s' % (name.split()[2], r['lock']))


def main():
    args = sys.argv[1:]
    rounds = 3
    if '--rounds' in args:
        i = args.index('--rounds')
        rounds = int(args[i + 1])
        del args[i:i + 2]
    baseline = None
    if '--baseline' in args:
        i = args.index('--baseline')
        baseline = args[i + 1]
        del args[i:i + 2]
    piecework, lt_node, size_mib = args[0], os.path.abspath(args[1]), int(args[2])
    pieces = [int(p) for p in args[3:]] or [256, 1024]
    cfg = {'piecework': piecework, 'lt_node': lt_node, 'rounds': rounds, 'baseline': baseline,
           'settle': float(os.environ.get('SETTLE_SECONDS', '2'))}
    size = size_mib << 20
    work = tempfile.mkdtemp(prefix='piecework-throughput-')
    try:
        os.makedirs(os.path.join(work, 'seed'))
        write_payload(os.path.join(work, 'seed', 'payload.bin'), size)
        print('load average before: %s; %d cores' % (open('/proc/loadavg').read().strip(), os.cpu_count()), flush=True)
        tables = []
        for piece_kib in pieces:
            print('\n%d KiB pieces' % piece_kib, flush=True)
            tables.append((piece_kib, run_piece_size(cfg, work, size, piece_kib)))
        for piece_kib, results in tables:
            table(size, piece_kib, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
