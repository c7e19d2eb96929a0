"""How well a download limit holds: bin/piecework get --limit-down from a libtorrent seeder on loopback.

  ratelimit.py PIECEWORK LT_NODE [--limit-kib K] [--seconds S] [--window W] [--rounds N]

Per round, a fresh single-file torrent of K KiB/s x (S + 10) s of random bytes (256 KiB pieces)
is downloaded by `PIECEWORK get --limit-down K --port 0 --peer <seeder>`. From the seeder's first
payload block (lt_node.py's FIRST) the seeder is asked for its payload bytes sent ("STATS") every
W seconds for S seconds: each window's rate and the S-second rate are printed, with their
deviation from the limit. Piecework's limit counts every byte on the wire (requests and headers
too), libtorrent's counter only payload: the payload rate sits about 0.1% under the wire rate.
A STATS answer takes up to 50 ms (lt_node.py looks at stdin every 50 ms); each sample is
timed when its answer is read. One unlimited round of the same download (same machine, same
load) is the baseline that shows the limit, not the loopback, sets the rate.
"""
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from throughput import Node, await_line, lt_seed, pw_env, write_payload  # noqa: E402


def stats(nodes, seeder):
    seeder.p.stdin.write(b'STATS\n')
    seeder.p.stdin.flush()
    m, t, _ = await_line(nodes, seeder, r'^STATS (\d+) (\d+)')
    return t, int(m.group(2))


def one_round(cfg, torrent, data_dir, work, limit_kib):
    down = tempfile.mkdtemp(prefix='down-', dir=work)
    seeder = lt_seed(cfg['lt_node'], torrent, data_dir)
    try:
        port = int(await_line([seeder], seeder, r'^PORT (\d+)')[0].group(1))
        get = Node('pw get', [cfg['piecework'], 'get', torrent, '-o', down, '--peer', '127.0.0.1:%d' % port,
                              '--port', '0', '--limit-down', str(limit_kib)], pw_env(os.path.join(down, '.state')))
        nodes = [seeder, get]
        try:
            await_line(nodes, seeder, r'^FIRST')
            t0, sent0 = stats(nodes, seeder)
            samples = [(t0, sent0)]
            if limit_kib:
                for w in range(1, cfg['seconds'] // cfg['window'] + 1):
                    time.sleep(max(0.0, t0 + w * cfg['window'] - time.monotonic()))
                    samples.append(stats(nodes, seeder))
            _, t_done, _ = await_line(nodes, get, r'^complete: ')
            return samples, t_done - t0
        finally:
            get.close()
    finally:
        seeder.close()
        shutil.rmtree(down, ignore_errors=True)


def main():
    args = sys.argv[1:]
    opt = lambda name, default: int(args[args.index(name) + 1]) if name in args else default  # noqa: E731
    cfg = {'piecework': os.path.abspath(args[0]), 'lt_node': os.path.abspath(args[1]),
           'seconds': opt('--seconds', 20), 'window': opt('--window', 5)}
    limit_kib, rounds = opt('--limit-kib', 10240), opt('--rounds', 3)
    limit = limit_kib * 1024
    size = limit * (cfg['seconds'] + 10)
    work = tempfile.mkdtemp(prefix='piecework-ratelimit-')
    try:
        sys.path.insert(0, os.path.dirname(cfg['lt_node']))
        from ltcommon import create
        data_dir = os.path.join(work, 'seed')
        os.makedirs(data_dir)
        write_payload(os.path.join(data_dir, 'payload.bin'), size)
        torrent = os.path.join(work, 'payload.torrent')
        create(os.path.join(data_dir, 'payload.bin'), torrent, 256 << 10)
        print('limit %d KiB/s = %.2f MiB/s, %d MiB payload, %d s measured in %d s windows, load average %s' % (
            limit_kib, limit / 2 ** 20, size >> 20, cfg['seconds'], cfg['window'],
            open('/proc/loadavg').read().split()[:3]), flush=True)
        samples, seconds = one_round(cfg, torrent, data_dir, work, 0)
        print('  unlimited baseline: %d MiB in %.2f s = %.1f MiB/s' % (size >> 20, seconds, size / 2 ** 20 / seconds),
              flush=True)
        overall = []
        for r in range(1, rounds + 1):
            samples, _ = one_round(cfg, torrent, data_dir, work, limit_kib)
            windows = []
            for (ta, sa), (tb, sb) in zip(samples, samples[1:]):
                windows.append((sb - sa) / (tb - ta))
            (t0, s0), (tn, sn) = samples[0], samples[-1]
            rate = (sn - s0) / (tn - t0)
            overall.append(rate)
            print('  round %d: windows %s MiB/s; %.1f s: %.3f MiB/s (%+.1f%% of the limit); load %s' % (
                r, ' '.join('%.2f' % (w / 2 ** 20) for w in windows), tn - t0, rate / 2 ** 20,
                100 * (rate - limit) / limit, open('/proc/loadavg').read().split()[0]), flush=True)
        print('overall: median %.3f MiB/s [%.3f..%.3f] (%+.1f%% .. %+.1f%% of the limit)' % (
            statistics.median(overall) / 2 ** 20, min(overall) / 2 ** 20, max(overall) / 2 ** 20,
            100 * (min(overall) - limit) / limit, 100 * (max(overall) - limit) / limit))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
