package io.piecework.benchmarks.engine;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.core.internal.Engine;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Time to metadata for a magnet link on loopback, Piecework next to libtorrent in the same
 * run: one libtorrent seeder; each round, a magnet link with only {@code x.pe} pointing at it
 * is given (a) to a fresh libtorrent session and (b) to a Piecework engine, and the time from
 * adding the link to holding the verified info dictionary is taken. Two torrents: one whose
 * info dictionary fits one 16 KiB metadata piece, one of many files whose dictionary spans
 * many. Prints each side's first (cold) time and the median and minimum of the rest. Run it
 * through {@code benchmarks/metadata.sh}.
 */
public final class MetadataTimeComparison {
    private MetadataTimeComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        Path work = Files.createTempDirectory("piecework-metadata");
        try {
            Path small = work.resolve("seed/small.bin");
            Files.createDirectories(small.getParent());
            Files.write(small, random(1 << 20, 1));
            Path many = work.resolve("seed/many");
            Random r = new Random(2);
            for (int i = 0; i < 3000; i++) {
                Path f = many.resolve("folder-" + (i / 100) + "/a-file-with-a-rather-long-name-number-" + i + ".dat");
                Files.createDirectories(f.getParent());
                Files.write(f, random(512 + r.nextInt(2048), i));
            }
            System.out.printf("%-40s %8s %10s %10s %10s%n", "torrent / client", "info KiB", "first ms", "median ms",
                    "min ms");
            for (Path source : List.of(small, many)) {
                TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(source, 16 * 1024, List.of(), List.of(),
                        false, null, 0), CreateProgress.NONE);
                Path torrent = work.resolve(source.getFileName() + ".torrent");
                Files.write(torrent, MetainfoWriter.write(meta));
                compare(script, meta, torrent, work, rounds);
            }
        } finally {
            Piecework.deleteTree(work);
        }
    }

    private static void compare(Path script, TorrentMetainfo meta, Path torrent, Path work, int rounds) throws Exception {
        String kib = String.format("%.1f", meta.infoBytes().length / 1024.0);
        try (LibtorrentProcess seeder = new LibtorrentProcess(script, "seed", torrent.toString(),
                work.resolve("seed").toString())) {
            String magnet = "magnet:?xt=urn:btih:" + meta.infoHash().hex() + "&x.pe=127.0.0.1:" + seeder.port;
            double[] lt = new double[rounds];
            double[] ltFast = new double[rounds];
            double[] pw = new double[rounds];
            try (Piecework piecework = new Piecework(work.resolve("pw-state"))) {
                for (int i = 0; i < rounds; i++) {
                    lt[i] = libtorrent(script, magnet, work.resolve("lt-" + i), null);
                    ltFast[i] = libtorrent(script, magnet, work.resolve("ltf-" + i), "20");
                    pw[i] = piecework(piecework.engine, magnet, work.resolve("pw-" + i));
                }
            }
            print(meta.name() + " / libtorrent 2.0", kib, lt);
            print(meta.name() + " / libtorrent, tick 20 ms", kib, ltFast);
            print(meta.name() + " / Piecework", kib, pw);
        }
    }

    private static void print(String name, String kib, double[] ms) {
        double[] rest = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(rest);
        System.out.printf("%-40s %8s %10.1f %10.1f %10.1f%n", name, kib, ms[0], rest[rest.length / 2], rest[0]);
    }

    /**
     * A fresh libtorrent session per round; the time is taken inside it, from add_torrent.
     * libtorrent connects to new peers on its tick (500 ms by default); {@code tickMs} shortens it
     * to show how much of its time is that timer rather than the exchange.
     */
    private static double libtorrent(Path script, String magnet, Path save, String tickMs) throws Exception {
        List<String> args = new ArrayList<>(List.of("fetch", magnet, save.toString()));
        if (tickMs != null) {
            args.add(tickMs);
        }
        // fetch prints one line, METADATA or (after its own 60 s) TIMEOUT, and exits.
        try (LibtorrentProcess fetch = LibtorrentProcess.client(script, args.toArray(String[]::new))) {
            String line = fetch.await("", 70);
            if (!line.startsWith("METADATA ")) {
                throw new IllegalStateException("libtorrent did not get the metadata: " + line);
            }
            return Double.parseDouble(line.substring(9));
        }
    }

    /** From add to a handle whose metainfo is known (fetched, hashed, parsed, saved); polled every 50 µs. */
    private static double piecework(Engine engine, String magnet, Path save) throws Exception {
        long start = System.nanoTime();
        TorrentHandle t = engine.add(MagnetLinks.parse(magnet), AddOptions.in(save));
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (t.metainfo() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Piecework did not get the metadata: " + t.stats());
            }
            LockSupport.parkNanos(50_000);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        // Let the (small) download finish before removing, so the next round starts clean.
        t.completion().get(60, TimeUnit.SECONDS);
        t.remove(true).get(30, TimeUnit.SECONDS);
        return ms;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
