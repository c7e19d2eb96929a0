"""Downloads a torrent in the distribution's Gogo shell from a libtorrent seeder and prints what
`piecework:status` says at the end, with the download's wall time measured around it.

  shell_status.py PIECEWORK_BIN TORRENT SEED_DIR OUT_DIR [SLEEP_SECONDS]

The seeder is itests' lt_node.py on loopback; the shell runs with a temporary --config folder,
so nothing is added to the user's own session. The wall time is the engine's own: from its log line when
the torrent's storage opened (just before `piecework:peer` connects the seeder) to its log line
"complete", so it includes the connection to the seeder.
"""
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LT_NODE = os.path.join(HERE, '..', '..', '..', '..', 'itests', 'src', 'test', 'resources', 'python', 'lt_node.py')


def lines_of(stream, into):
    for line in iter(stream.readline, ''):
        into.put(line.rstrip('\n'))
    into.put(None)


def await_line(q, pattern, seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            line = q.get(timeout=max(0.01, end - time.time()))
        except queue.Empty:
            break
        if line is None:
            break
        m = re.search(pattern, line)
        if m:
            return m
    sys.exit('no line matching %r within %d s' % (pattern, seconds))


def stamp(line):
    """Seconds of the day from the log line's HH:MM:SS.mmm prefix."""
    h, m, rest = line[:12].split(':')
    return int(h) * 3600 + int(m) * 60 + float(rest)


def main():
    piecework, torrent, seed_dir, out_dir = sys.argv[1:5]
    piecework = os.path.abspath(piecework)  # the shell runs in a folder of its own
    wait_s = int(sys.argv[5]) if len(sys.argv) > 5 else 60
    seed = subprocess.Popen(['/usr/bin/python3', LT_NODE, 'seed', torrent, seed_dir], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seed_lines = queue.Queue()
    threading.Thread(target=lines_of, args=(seed.stdout, seed_lines), daemon=True).start()
    try:
        port = await_line(seed_lines, r'^PORT (\d+)', 600).group(1)
        info = subprocess.run([piecework, 'info', torrent], capture_output=True, text=True).stdout
        info_hash = re.search(r'info-hash:\s+([0-9a-f]{40})', info).group(1)
        home = tempfile.mkdtemp(prefix='piecework-status-')
        os.makedirs(os.path.join(home, 'etc'))
        os.makedirs(os.path.join(home, 'config'))
        # Gogo runs its profile at start: the commands go in there (a pipe into the console is
        # not read). The fixed sleep only has to outlast the download; the wall time is taken
        # from the engine's own log lines.
        with open(os.path.join(home, 'etc', 'gosh_profile'), 'w') as f:
            f.write('\n'.join(['piecework:add %s %s' % (torrent, out_dir),
                               'piecework:peer %s 127.0.0.1:%s' % (info_hash, port),
                               'sleep %d' % wait_s, 'piecework:list', 'piecework:status ' + info_hash,
                               'stop 0', '']))
        # stdin stays open: at its end the console stops, and interrupts the profile's sleep.
        shell = subprocess.Popen([piecework, 'shell', '--config', os.path.join(home, 'config')], cwd=home,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output = []
        reader = threading.Thread(target=lambda: output.extend(shell.stdout), daemon=True)
        reader.start()
        try:
            shell.wait(timeout=wait_s + 300)
        finally:
            if shell.poll() is None:
                shell.kill()
            shell.stdin.close()
        reader.join(timeout=10)
        text = ''.join(output)
        opened = complete = None
        for line in text.splitlines():
            if re.search(r'Torrent - .*: \d+ of \d+ pieces on disk', line) and opened is None:
                opened = stamp(line)
            elif re.search(r'Torrent - .*: complete$', line):
                complete = stamp(line)
            elif re.match(r'^(name|state|progress|downloaded|peers|strategy|lock|request updates|hash failures|'
                          r'banned peers):', line) or line.startswith(info_hash[:12]):
                print(line)
        if "waited" not in text:
            sys.exit("no piecework:status in the shell output:\n" + text[-3000:])
        waited = float(re.search(r'waited ([0-9.]+) ms', text).group(1))
        wall = complete - opened
        print('download wall:   %.2f s (the engine log: storage opened to complete)' % wall)
        print('lock wait:       %.3f %% of the download\'s wall time' % (100 * waited / 1000 / wall))
    finally:
        seed.stdin.close()
        seed.wait(timeout=30)


if __name__ == '__main__':
    main()
