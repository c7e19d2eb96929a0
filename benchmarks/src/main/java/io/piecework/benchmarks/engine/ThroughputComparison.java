package io.piecework.benchmarks.engine;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run, four transfers of the same single-file torrent on loopback: (a) libtorrent to
 * libtorrent, (b) libtorrent seeder to Piecework, (c) Piecework seeder to libtorrent as
 * configured by default (blocks copied), (d) the same sending blocks from the file with sendfile
 * ({@code send_from_files}). Prints MB/s, the ratios b/a, c/a and d/c, and CPU seconds per GiB on
 * each side. Run it through
 * {@code benchmarks/throughput.sh}.
 */
public final class ThroughputComparison {
    private ThroughputComparison() {
    }

    record Result(String name, double seconds, double seederCpu, double leecherCpu) {
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        long size = args.length > 1 ? Long.parseLong(args[1]) << 20 : 1L << 30;
        Path work = Files.createTempDirectory("piecework-throughput");
        try {
            Path seedDir = work.resolve("seed");
            Path data = seedDir.resolve("payload.bin");
            write(data, size);
            TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 0, List.of(), List.of(), false,
                    null, 0), CreateProgress.NONE);
            Path torrent = work.resolve("payload.torrent");
            Files.write(torrent, MetainfoWriter.write(meta));
            double gib = size / (double) (1L << 30);
            System.out.printf("payload: %d MiB, %d pieces of %d KiB%n", size >> 20, meta.pieceCount(),
                    meta.pieceLength() >> 10);

            int warmup = Integer.getInteger("piecework.warmupMiB", 0);
            if (warmup > 0) {
                warmUp(work.resolve("warmup"), (long) warmup << 20);
            }
            if (Boolean.getBoolean("piecework.onlyB")) {
                Result b = libtorrentToPiecework(script, torrent, meta, seedDir, work.resolve("b"));
                System.out.printf("%s: %.0f MB/s%n", b.name, size / 1e6 / b.seconds);
                return;
            }
            if (Boolean.getBoolean("piecework.onlyC")) {
                for (boolean sendfile : List.of(false, true)) {
                    Result c = pieceworkToLibtorrent(script, torrent, meta, seedDir, work.resolve("c"), sendfile);
                    Piecework.deleteTree(work.resolve("c"));
                    System.out.printf("%s: %.0f MB/s  seed CPU %.2f s/GiB  leech CPU %.2f s/GiB%n", c.name,
                            size / 1e6 / c.seconds, c.seederCpu / gib, c.leecherCpu / gib);
                    settle();
                }
                return;
            }
            // Each download is deleted before the next transfer: its dirty pages are dropped rather
            // than written back to disk while the next one runs, so no transfer pays for another.
            settle();
            Result a = libtorrentToLibtorrent(script, torrent, seedDir, work.resolve("a"));
            Piecework.deleteTree(work.resolve("a"));
            settle();
            Result b = libtorrentToPiecework(script, torrent, meta, seedDir, work.resolve("b"));
            Piecework.deleteTree(work.resolve("b"));
            settle();
            Result c = pieceworkToLibtorrent(script, torrent, meta, seedDir, work.resolve("c"), false);
            Piecework.deleteTree(work.resolve("c"));
            settle();
            Result d = pieceworkToLibtorrent(script, torrent, meta, seedDir, work.resolve("d"), true);
            System.out.println();
            System.out.printf("%-44s %9s %12s %12s%n", "transfer", "MB/s", "seed CPU s/GiB", "leech CPU s/GiB");
            for (Result r : List.of(a, b, c, d)) {
                System.out.printf("%-44s %9.0f %14.2f %15.2f%n", r.name, size / 1e6 / r.seconds,
                        r.seederCpu / gib, r.leecherCpu / gib);
            }
            System.out.printf("%nb/a = %.2f (goal >= 1.2)   c/a = %.2f (goal >= 1.0)   d/c = %.2f, seed CPU d/c = %.2f%n",
                    a.seconds / b.seconds, a.seconds / c.seconds, c.seconds / d.seconds, d.seederCpu / c.seederCpu);
        } finally {
            Piecework.deleteTree(work);
        }
    }

    private static Result libtorrentToLibtorrent(Path script, Path torrent, Path seedDir, Path down) throws Exception {
        try (LibtorrentProcess seeder = new LibtorrentProcess(script, "seed", torrent.toString(), seedDir.toString(),
                "--lifetime", "900")) {
            double seedCpu = seeder.cpuSeconds();
            try (LibtorrentProcess leecher = new LibtorrentProcess(script, "leech", torrent.toString(),
                    down.toString(), "--peer", Integer.toString(seeder.port), "--lifetime", "900")) {
                String[] done = leecher.await("DONE", 900).split(" ");
                return new Result("(a) libtorrent -> libtorrent", Double.parseDouble(done[1]),
                        seeder.cpuSeconds() - seedCpu, Double.parseDouble(done[2]));
            }
        }
    }

    private static Result libtorrentToPiecework(Path script, Path torrent, TorrentMetainfo meta, Path seedDir,
                                                Path down) throws Exception {
        try (LibtorrentProcess seeder = new LibtorrentProcess(script, "seed", torrent.toString(), seedDir.toString(),
                "--lifetime", "900");
             Piecework leecher = new Piecework(down.resolve("state"))) {
            double seedCpu = seeder.cpuSeconds();
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            TorrentHandle t = leecher.engine.add(meta, AddOptions.in(down)
                    .withPeers(List.of(new InetSocketAddress("127.0.0.1", seeder.port))));
            t.completion().get(900, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            lockFigures(t, seconds);
            return new Result("(b) libtorrent -> Piecework", seconds, seeder.cpuSeconds() - seedCpu,
                    (processCpuNanos() - cpu) / 1e9);
        }
    }

    /**
     * The torrent's lock over the download, as {@code piecework:status} shows it: time threads spent
     * waiting for it, summed over threads, as a share of the download's wall time (goal: under 1%).
     */
    private static void lockFigures(TorrentHandle t, double seconds) {
        TorrentStats s = t.stats();
        System.out.printf("(b) torrent lock: %d acquisitions, waited %.1f ms = %.2f%% of %.1f s wall, held %.1f ms, "
                        + "wait p99 %d ns, hold p99 %d ns, %d request updates%n", s.lockAcquisitions(),
                s.lockWaitNanos() / 1e6, s.lockWaitNanos() / 1e7 / seconds, seconds, s.lockHoldNanos() / 1e6,
                s.lockWaitP99Nanos(), s.lockHoldP99Nanos(), s.requestUpdates());
    }

    private static Result pieceworkToLibtorrent(Path script, Path torrent, TorrentMetainfo meta, Path seedDir,
                                                Path down, boolean sendfile) throws Exception {
        try (Piecework seeder = new Piecework(down.resolve("state"), sendfile)) {
            seeder.engine.add(meta, AddOptions.in(seedDir)).completion().get(900, TimeUnit.SECONDS);
            long cpu = processCpuNanos();
            try (LibtorrentProcess leecher = new LibtorrentProcess(script, "leech", torrent.toString(),
                    down.resolve("data").toString(), "--peer", Integer.toString(seeder.engine.listenPort()),
                    "--lifetime", "900")) {
                String[] done = leecher.await("DONE", 900).split(" ");
                return new Result(sendfile ? "(d) Piecework -> libtorrent (sendfile)" : "(c) Piecework -> libtorrent (copied)",
                        Double.parseDouble(done[1]),
                        (processCpuNanos() - cpu) / 1e9, Double.parseDouble(done[2]));
            }
        }
    }

    /**
     * A Piecework to Piecework transfer of its own payload before anything is measured, so the
     * JIT has compiled both the download and the upload path: the figures that follow show a
     * long-running engine rather than the compiler's first seconds.
     */
    private static void warmUp(Path dir, long size) throws Exception {
        Path data = dir.resolve("seed").resolve("warmup.bin");
        write(data, size);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(data, 0, List.of(), List.of(), false,
                null, 0), CreateProgress.NONE);
        long start = System.nanoTime();
        try (Piecework seeder = new Piecework(dir.resolve("seed-state"));
             Piecework leecher = new Piecework(dir.resolve("leech-state"))) {
            seeder.engine.add(meta, AddOptions.in(data.getParent())).completion().get(900, TimeUnit.SECONDS);
            leecher.engine.add(meta, AddOptions.in(dir.resolve("down")).withPeers(List.of(
                    new InetSocketAddress("127.0.0.1", seeder.engine.listenPort())))).completion()
                    .get(900, TimeUnit.SECONDS);
        }
        System.out.printf("warm-up: Piecework -> Piecework, %d MiB in %.1f s (not measured)%n", size >> 20,
                (System.nanoTime() - start) / 1e9);
        Piecework.deleteTree(dir);
    }

    /**
     * A pause before each transfer (-Dpiecework.settleMillis, default 2000): the previous one's
     * processes finish exiting and the machine is as quiet for each transfer as for the others.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(Long.getLong("piecework.settleMillis", 2000));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void write(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long state = 0x9E3779B97F4A7C15L;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = size; left > 0; ) {
                buffer.clear();
                while (buffer.remaining() >= 8) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    buffer.putLong(state);
                }
                buffer.flip().limit((int) Math.min(buffer.limit(), left));
                left -= buffer.remaining();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true); // written back now, not by the kernel during the first transfers
        }
    }
}
