package io.piecework.shell.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code seed FILE.torrent --data DIR [--port N] [--dht-bootstrap HOST:PORT]...}: checks the
 * data in DIR (the folder that holds the torrent's file or folder, as for {@code get -o}) and
 * seeds until Ctrl-C, announcing it into the DHT joined through the given nodes (the launcher
 * applies {@code --port} and {@code --dht-bootstrap}; they are checked here).
 */
@Component(property = Subcommand.PROPERTY + "=seed")
public final class SeedCommand implements Subcommand {
    static final String USAGE = "FILE.torrent --data DIR [--port N] [--dht-bootstrap HOST:PORT]...";
    static final String SUMMARY = "check a torrent's data and seed it until Ctrl-C";
    private final EngineWait engine = new EngineWait();
    private final MetainfoService metainfo;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public SeedCommand(@Reference MetainfoService metainfo) {
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
        return "seed";
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
        Args a = Args.parse(args, Set.of("--data", "--port", "--dht-bootstrap"), Set.of());
        String source = a.operand("FILE.torrent");
        if (a.value("--port").isPresent()) {
            Peers.port(a.value("--port").get(), "--port");
        }
        Peers.dhtBootstrap(a.values("--dht-bootstrap"));
        String data = a.value("--data").orElseThrow(() -> CliException.usage("missing --data DIR"));
        Path dir = io.path(data);
        if (!Files.isDirectory(dir)) {
            throw CliException.badInput(data + ": no such folder");
        }
        TorrentMetainfo meta = InfoCommand.readForTransfer(metainfo, io, source);
        if (!Files.exists(dir.resolve(meta.name()))) {
            throw CliException.badInput(data + ": holds no " + meta.name() + " (--data names the folder that holds it)");
        }
        TorrentEngine engine = this.engine.get();
        TorrentHandle torrent = engine.add(meta, AddOptions.in(dir));
        io.err().println("checking " + Untrusted.text(meta.name()) + " in " + dir);
        TorrentStats s = torrent.stats();
        while (s.state() == TorrentState.CHECKING && !stopped.await(100, TimeUnit.MILLISECONDS)) {
            s = torrent.stats();
        }
        if (s.state() == TorrentState.ERROR) {
            throw CliException.failed(meta.name() + ": " + s.error().orElse("engine error"));
        }
        if (s.piecesVerified() < s.pieces()) {
            io.err().println("warning: only " + s.piecesVerified() + " of " + s.pieces()
                    + " pieces are complete; seeding those (and downloading the rest from peers)");
        }
        io.err().println("seeding " + Untrusted.text(meta.name()) + " (" + meta.infoHash().hex() + ") on port "
                + engine.listenPort() + " until Ctrl-C");
        Watch.follow(torrent, new TransferStatus(io.err(), io.terminal()), stopped, true);
    }
}
