"""get from a libtorrent seeder, several variants alternating round by round: JVM options
(PIECEWORK_JAVA_OPTS) and/or builds, under the same load. For trying JVM flags on get's CPU
without building a distribution per variant; benchmarks/throughput.sh gives the figures to quote.

  /usr/bin/python3 benchmarks/src/main/python/get_ab.py SIZE_MIB PIECE_KIB ROUNDS NAME=BUILD|OPTS...

BUILD is a bin/piecework, OPTS extra JVM options ('' for none; they come after the launcher's,
so they win), e.g. 'base=/tmp/a/bin/piecework|' 'g1=/tmp/a/bin/piecework|-XX:-UseSerialGC -XX:+UseG1GC'
(get already runs the serial collector; the JVM refuses two). A get that fails to start leaves
the round waiting for the seeder's first block (throughput.py's 900 s bound): watch its stderr.
Each round runs every variant once (no warm-up round: each get is a fresh JVM); each line is
throughput.py's lt -> pw get: MB/s and CPU per GiB from the first payload byte to completion,
start-up apart, CPU by thread. Then medians [min..max] per variant.
"""
import os
import shutil
import statistics
import sys
import tempfile

import throughput as t


def main():
    size_mib, piece_kib, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    variants = []
    for arg in sys.argv[4:]:
        name, rest = arg.split('=', 1)
        build, opts = rest.split('|', 1)
        variants.append((name, os.path.realpath(build), opts))
    lt_node = os.path.join(os.path.dirname(__file__), '../../../../itests/src/test/resources/python/lt_node.py')
    lt_node = os.path.realpath(lt_node)
    sys.path.insert(0, os.path.dirname(lt_node))
    from ltcommon import create
    work = tempfile.mkdtemp(prefix='piecework-get-ab-')
    own_opts = os.environ.get('PIECEWORK_JAVA_OPTS', '')
    results = {name: [] for name, _, _ in variants}
    try:
        os.makedirs(os.path.join(work, 'seed'))
        payload = os.path.join(work, 'seed', 'payload.bin')
        t.write_payload(payload, size_mib << 20)
        torrent = os.path.join(work, 'payload.torrent')
        create(payload, torrent, piece_kib << 10)
        cfg = {'lt_node': lt_node, 'piecework': None}
        for r in range(rounds):
            for name, build, opts in variants:
                os.environ['PIECEWORK_JAVA_OPTS'] = (own_opts + ' ' + opts).strip()
                down = tempfile.mkdtemp(prefix='down-', dir=work)
                res = t.lt_to_pw(cfg, torrent, os.path.join(work, 'seed'), down, build)
                shutil.rmtree(down)
                rate = (size_mib << 20) / 1e6 / res['seconds']
                per_gib = res['leech_cpu'] / (size_mib / 1024)
                results[name].append((rate, per_gib))
                print('round %d %-10s %5.0f MB/s  %.2f s/GiB  start-up %.2f s, %.2f s CPU  load %s\n    %s' % (
                    r + 1, name, rate, per_gib, res['start_seconds'], res['start_cpu'],
                    open('/proc/loadavg').read().split()[0], res['threads']), flush=True)
        for name, values in results.items():
            print('%-10s MB/s %s  CPU s/GiB %s' % (name, t.spread([v[0] for v in values]),
                                                   t.spread([v[1] for v in values])))
    finally:
        os.environ['PIECEWORK_JAVA_OPTS'] = own_opts
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
