package io.piecework.shell.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code get FILE.torrent|MAGNET [-o DIR] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--seed-after]
 * [--port N] [--limit-down KiB/s] [--limit-up KiB/s] [--sequential]}: downloads
 * into DIR (default: the current folder) and exits when complete. The file storage keeps
 * resume data per torrent and DIR in {@code ~/.local/state/piecework/resume/}, so a second run into the same folder continues
 * from the verified pieces. ({@code --port} and {@code --dht-bootstrap} are applied by the
 * launcher before the engine and the DHT start; they are checked here.)
 */
@Component(property = Subcommand.PROPERTY + "=get")
public final class GetCommand implements Subcommand {
    static final String USAGE = "FILE.torrent|MAGNET-URI [-o DIR] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--seed-after] [--port N]"
            + " [--limit-down KiB/s] [--limit-up KiB/s] [--sequential]";
    static final String SUMMARY = "download a torrent (resumable), optionally seed it afterwards";
    private final EngineWait engine = new EngineWait();
    private final MetainfoService metainfo;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public GetCommand(@Reference MetainfoService metainfo) {
        this.metainfo = metainfo;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEngine(TorrentEngine e) {
        engine.set(e);
    }

    void unbindEngine(TorrentEngine e) {
        engine.clear(e);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = EngineWait.NETWORK_START)
    void bindNetworkStart(Runnable start) {
        engine.networkStart(start);
    }

    void unbindNetworkStart(Runnable start) {
        engine.networkStart(null);
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    @Override
    public String name() {
        return "get";
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
        Args a = Args.parse(args, Set.of("-o", "--peer", "--dht-bootstrap", "--port", "--limit-down", "--limit-up"),
                Set.of("--seed-after", "--sequential"));
        RateLimits limits = new RateLimits(kib(a, "--limit-down"), kib(a, "--limit-up"));
        boolean sequential = a.flag("--sequential"); // pieces in index order, e.g. to play while it downloads
        // Added stopped, started once limited / sequential: no request goes out before.
        boolean limited = !limits.equals(RateLimits.UNLIMITED) || sequential;
        String source = a.operand("FILE.torrent or MAGNET-URI");
        if (sequential && isMagnet(source)) {
            throw CliException.badInput("--sequential needs the torrent's pieces, which a magnet link has only once its"
                    + " metadata arrives: give the .torrent, or add the magnet to the daemon and set it there");
        }
        List<InetSocketAddress> peers = Peers.parseAll(a.values("--peer"));
        Peers.dhtBootstrap(a.values("--dht-bootstrap"));
        if (a.value("--port").isPresent()) {
            Peers.port(a.value("--port").get(), "--port");
        }
        Path dir = io.path(a.value("-o").orElse("."));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CliException.badInput(a.value("-o").get() + ": not a folder");
        }
        TorrentEngine engine;
        TorrentHandle torrent;
        long start;
        if (isMagnet(source)) {
            MagnetLink magnet;
            try {
                magnet = metainfo.parseMagnet(source);
            } catch (InvalidTorrentException e) {
                throw CliException.badInput("magnet URI: " + e.getMessage());
            }
            Files.createDirectories(dir);
            engine = this.engine.get();
            start = System.nanoTime();
            torrent = engine.add(magnet, new AddOptions(dir, limited, peers));
            io.err().println("getting " + Untrusted.text(magnet.displayName().orElse(magnet.infoHash().hex()))
                    + " from a magnet link"
                    + " into " + dir + "; listening on port " + engine.listenPort() + ", strategy "
                    + engine.strategy().orElse("(none yet)"));
        } else {
            TorrentMetainfo meta = InfoCommand.readForTransfer(metainfo, io, source);
            Files.createDirectories(dir);
            engine = this.engine.get();
            start = System.nanoTime();
            torrent = engine.add(meta, new AddOptions(dir, limited, peers));
            io.err().println("getting " + Untrusted.text(meta.name()) + " ("+ Sizes.human(meta.totalSize()) + ", "
                    + meta.pieceCount() + " pieces) into " + dir + "; listening on port " + engine.listenPort()
                    + ", strategy " + engine.strategy().orElse("(none yet)"));
        }
        if (limited) {
            if (!limits.equals(RateLimits.UNLIMITED)) {
                torrent.rateLimits(limits);
            }
            if (sequential) {
                torrent.sequential(true);
            }
            torrent.start();
        }
        TransferStatus status = new TransferStatus(io.err(), io.terminal());
        TorrentStats s = Watch.follow(torrent, status, stopped, false);
        if (!torrent.completion().isDone()) {
            throw CliException.failed("stopped before complete: " + s.piecesVerified() + " of " + s.pieces()
                    + " pieces verified and saved; run get again to resume");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        io.out().println(summary(s, seconds));
        io.err().println(lockLine(s, seconds));
        if (a.flag("--seed-after")) {
            io.err().println("seeding until Ctrl-C");
            Watch.follow(torrent, new TransferStatus(io.err(), io.terminal()), stopped, true);
        }
    }

    /**
     * The torrent lock over the run, as {@code piecework:status} shows it, on stderr (stdout keeps
     * its one line): the time threads waited for it, summed over threads, as a share of the run's
     * wall time, and the work its holders ran for threads that found it taken instead of waiting;
     * benchmarks/throughput.sh reads it.
     */
    static String lockLine(TorrentStats s, double seconds) {
        return String.format(Locale.ROOT, "torrent lock: %d acquisitions, waited %.1f ms (%.2f%% of %.1f s), "
                        + "held %.1f ms; wait p99 %.1f us, hold p99 %.1f us; %d handed to the holder", s.lockAcquisitions(),
                s.lockWaitNanos() / 1e6, seconds > 0 ? s.lockWaitNanos() / 1e7 / seconds : 0.0, seconds,
                s.lockHoldNanos() / 1e6, s.lockWaitP99Nanos() / 1e3, s.lockHoldP99Nanos() / 1e3, s.lockHandoffs());
    }

    /** A rate option in KiB/s as bytes per second; absent or 0 is unlimited. */
    static long kib(Args a, String option) throws CliException {
        String text = a.value(option).orElse("0");
        try {
            long kib = Long.parseLong(text);
            if (kib >= 0 && kib <= Integer.MAX_VALUE / 1024) {
                return kib * 1024;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw CliException.badInput(option + " " + Untrusted.text(text) + ": give a rate in KiB/s, 0 or more (0: unlimited)");
    }

    /** A URI scheme is case-insensitive (RFC 3986): 'MAGNET:?XT=...' is a magnet link too. */
    static boolean isMagnet(String source) {
        return source.regionMatches(true, 0, "magnet:", 0, "magnet:".length());
    }

    /** One line a script can read: the bytes taken from peers this run show what resuming saved. */
    static String summary(TorrentStats s, double seconds) {
        return String.format(Locale.ROOT, "complete: %s, %s in %.1f s; downloaded %d bytes from peers this run (%s)",
                Untrusted.text(s.name()), Sizes.human(s.wantedBytes()), seconds, s.downloaded(),
                Sizes.rate(seconds > 0 ? s.downloaded() / seconds : 0));
    }
}
