package io.piecework.shell.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEngineFactory;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo [--size MiB]}: the whole stack on one machine with no network. Makes a payload
 * of several files in a temporary folder, creates its torrent, seeds it from the
 * {@link TorrentEngine} service, downloads it with a second engine from
 * {@link TorrentEngineFactory} over loopback (the launcher keeps this run's engine on
 * 127.0.0.1 and a free port), compares every file byte for byte, reports, and cleans up.
 */
@Component(property = Subcommand.PROPERTY + "=demo")
public final class DemoCommand implements Subcommand {
    static final String USAGE = "[--size MiB]";
    static final String SUMMARY = "seed and download a generated torrent between two engines over loopback, and check it";
    private static final long MIB = 1L << 20;
    private static final long TIMEOUT_S = 600;
    private final TorrentEngine engine;
    private final TorrentEngineFactory factory;
    private final MetainfoService metainfo;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public DemoCommand(@Reference TorrentEngine engine, @Reference TorrentEngineFactory factory,
                       @Reference MetainfoService metainfo) {
        this.engine = engine;
        this.factory = factory;
        this.metainfo = metainfo;
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return SUMMARY;
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        Args a = Args.parse(args, Set.of("--size"), Set.of());
        if (!a.operands().isEmpty()) {
            throw CliException.usage("demo takes no file");
        }
        long size = size(a.value("--size").orElse("64"));
        Path tmp = Files.createTempDirectory("piecework-demo-");
        try {
            run(io, tmp, size);
        } finally {
            delete(tmp);
        }
    }

    private void run(Io io, Path tmp, long size) throws Exception {
        long t0 = System.nanoTime();
        Path root = tmp.resolve("seed").resolve("piecework-demo");
        payload(root, size);
        long t1 = System.nanoTime();
        TorrentMetainfo meta = metainfo.create(CreateRequest.of(root), CreateProgress.NONE);
        long t2 = System.nanoTime();
        io.out().printf(Locale.ROOT, "payload:   %d files, %s in %s (made in %.1f s, hashed into %d pieces of %s in %.1f s)%n",
                meta.files().size(), Sizes.human(meta.totalSize()), tmp, secs(t1 - t0), meta.pieceCount(),
                Sizes.human(meta.pieceLength()), secs(t2 - t1));
        TorrentHandle seed = engine.add(meta, AddOptions.in(tmp.resolve("seed")));
        await(seed, "the seeder's check");
        long t3 = System.nanoTime();
        io.out().printf(Locale.ROOT, "seeder:    the TorrentEngine service on port %d checked the data in %.1f s%n",
                engine.listenPort(), secs(t3 - t2));
        try (TorrentEngineFactory.OwnedEngine leecher = factory.create("127.0.0.1", 0)) {
            io.out().printf(Locale.ROOT, "leecher:   a second engine from TorrentEngineFactory on port %d, strategy %s%n",
                    leecher.listenPort(), leecher.strategy().orElse("(none bound)"));
            Path down = tmp.resolve("down");
            TorrentHandle get = leecher.add(meta, new AddOptions(down, false,
                    List.of(new InetSocketAddress("127.0.0.1", engine.listenPort()))));
            long t4 = System.nanoTime();
            TorrentStats s = Watch.follow(get, new TransferStatus(io.err(), io.terminal()), stopped, false);
            if (!get.completion().isDone()) {
                throw CliException.failed("demo stopped before the download completed");
            }
            long t5 = System.nanoTime();
            io.out().printf(Locale.ROOT, "download:  %s over loopback in %.2f s = %.1f MiB/s (%d bytes received, "
                            + "%d hash failures, lock taken %d times, %d request updates)%n",
                    Sizes.human(meta.totalSize()), secs(t5 - t4), meta.totalSize() / MIB / secs(t5 - t4),
                    s.downloaded(), s.hashFailures(), s.lockAcquisitions(), s.requestUpdates());
            compare(meta, tmp.resolve("seed"), down);
            io.out().printf(Locale.ROOT, "verified:  all %d files byte for byte identical to the originals (%.1f s)%n",
                    meta.files().size(), secs(System.nanoTime() - t5));
            get.remove(false).get(30, TimeUnit.SECONDS);
        } finally {
            seed.remove(false).get(30, TimeUnit.SECONDS);
        }
        io.out().printf(Locale.ROOT, "demo passed in %.1f s with strategy %s; temporary files removed%n",
                secs(System.nanoTime() - t0), engine.strategy().orElse("(none bound)"));
    }

    private static long size(String text) throws CliException {
        try {
            long mib = Long.parseLong(text);
            if (mib >= 1 && mib <= 16 * 1024) {
                return mib * MIB;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("--size must be a number of MiB from 1 to 16384, got '" + text + "'");
    }

    /** Several files of uneven sizes, so pieces straddle file ends; one empty file. */
    private static void payload(Path root, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        long[] shares = {size / 2 + 12_345, size / 4, size / 8 - 777, size / 8 - 12_345 + 777};
        String[] names = {"video.bin", "audio/track-1.bin", "audio/track-2.bin", "notes/readme.txt"};
        byte[] chunk = new byte[(int) MIB];
        for (int i = 0; i < names.length; i++) {
            Path f = root.resolve(names[i]);
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                for (long left = Math.max(0, shares[i]); left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
            }
        }
        Files.createFile(root.resolve("notes/empty"));
    }

    private void await(TorrentHandle t, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            TorrentStats s = t.stats();
            if (s.state() == io.piecework.api.engine.TorrentState.ERROR) {
                throw CliException.failed(what + ": " + s.error().orElse("engine error"));
            }
            try {
                t.completion().get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0 || stopped.getCount() == 0) {
                    throw CliException.failed(what + " did not finish");
                }
            }
        }
    }

    private static void compare(TorrentMetainfo meta, Path original, Path copy) throws IOException, CliException {
        for (FileEntry f : meta.files()) {
            if (f.padding()) {
                continue;
            }
            Path a = original.resolve(meta.name()).resolve(String.join("/", f.path()));
            Path b = copy.resolve(meta.name()).resolve(String.join("/", f.path()));
            long at = Files.mismatch(a, b);
            if (at != -1) {
                throw CliException.failed(b + " differs from the original at byte " + at);
            }
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
