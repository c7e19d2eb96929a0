package io.piecework.shell.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandSession;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The engine in the Gogo shell: {@code piecework:add}, {@code list}, {@code status},
 * {@code stop}, {@code remove}, {@code peer} and {@code strategy}. A torrent is named by a
 * unique prefix of its info-hash's hex, as {@code list} shows it.
 */
@Component(service = EngineCommands.class, immediate = true, property = {
    "osgi.command.scope=piecework",
    "osgi.command.function=add",
    "osgi.command.function=list",
    "osgi.command.function=status",
    "osgi.command.function=stop",
    "osgi.command.function=remove",
    "osgi.command.function=peer",
    "osgi.command.function=strategy"})
public final class EngineCommands {
    static final String ENGINE_PID = "io.piecework.engine";
    static final String STRATEGY_TARGET = "strategy.target";
    private final TorrentEngine engine;
    private final MetainfoService metainfo;
    private final ConfigurationAdmin configurations;
    private final Map<RequestStrategy, String> strategies = new ConcurrentHashMap<>();
    /** The persistent session's queue, when there is one (the shell and the daemon have it). */
    private volatile TorrentQueue queue;

    @Activate
    public EngineCommands(@Reference TorrentEngine engine, @Reference MetainfoService metainfo,
                          @Reference ConfigurationAdmin configurations) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.configurations = configurations;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStrategy(RequestStrategy strategy, Map<String, Object> properties) {
        strategies.put(strategy, String.valueOf(properties.get(RequestStrategy.NAME_PROPERTY)));
    }

    void removeStrategy(RequestStrategy strategy) {
        strategies.remove(strategy);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setQueue(TorrentQueue q) {
        queue = q;
    }

    void unsetQueue(TorrentQueue q) {
        if (queue == q) {
            queue = null;
        }
    }

    /** {@code add FILE.torrent|MAGNET [DIR]}: adds and starts a torrent; DIR defaults to the session's folder. */
    public String add(CommandSession session, String... args) throws Exception {
        return shell(() -> {
            Args a = Args.parse(List.of(args), java.util.Set.of(), java.util.Set.of());
            if (a.operands().isEmpty() || a.operands().size() > 2) {
                throw CliException.usage("usage: piecework:add FILE.torrent|MAGNET-URI [DIR]");
            }
            Io io = io(session);
            String source = a.operands().get(0);
            Path dir = a.operands().size() == 2 ? io.path(a.operands().get(1)) : io.cwd();
            if (source.startsWith("magnet:")) {
                TorrentHandle t = engine.add(metainfo.parseMagnet(source), AddOptions.in(dir));
                return "added " + t.infoHash().hex() + " (magnet; fetching its metadata) into " + dir;
            }
            TorrentMetainfo meta = InfoCommand.read(metainfo, io, source);
            TorrentHandle t = engine.add(meta, AddOptions.in(dir));
            return "added " + t.infoHash().hex() + " " + Untrusted.text(meta.name()) + " into " + dir;
        });
    }

    /** {@code list}: one line per torrent. */
    public void list(CommandSession session) {
        PrintStream out = System.out;
        List<TorrentHandle> all = engine.torrents();
        if (all.isEmpty()) {
            out.println("no torrents");
            return;
        }
        for (TorrentHandle t : all) {
            TorrentStats s = t.stats();
            out.printf(Locale.ROOT, "%s  %-11s %5.1f%%  down %s  up %s  %s  %s%n", t.infoHash().hex().substring(0, 12),
                    s.state().name().toLowerCase(Locale.ROOT), 100 * s.progress(), Sizes.rate(s.downloadRate()),
                    Sizes.rate(s.uploadRate()), TransferStatus.peers(s.peers()), Untrusted.text(s.name()));
        }
    }

    /** {@code status ID}: the torrent's statistics, the engine's internals included. */
    public void status(String id) throws Exception {
        TorrentStats s = find(id).stats();
        PrintStream out = System.out;
        out.println("name:            " + Untrusted.text(s.name()));
        out.println("info-hash:       " + s.infoHash().hex());
        out.println("state:           " + s.state().name().toLowerCase(Locale.ROOT) + s.error().map(e -> " (" + Untrusted.text(e) + ")").orElse(""));
        out.printf(Locale.ROOT, "progress:        %.1f%%, %d of %d pieces, %s of %s%n", 100 * s.progress(),
                s.piecesVerified(), s.pieces(), Sizes.human(s.verifiedBytes()), Sizes.human(s.wantedBytes()));
        out.println("downloaded:      " + Sizes.human(s.downloaded()) + " at " + Sizes.rate(s.downloadRate()));
        out.println("uploaded:        " + Sizes.human(s.uploaded()) + " at " + Sizes.rate(s.uploadRate()));
        out.println("peers:           " + s.peers() + " (" + s.seeds() + " seeds)");
        out.println("eta:             " + (s.etaSeconds() < 0 ? "unknown" : Sizes.duration(s.etaSeconds())));
        out.println("strategy:        " + engine.strategy().orElse("(none bound)"));
        out.printf(Locale.ROOT, "lock:            %d acquisitions, waited %.3f ms, held %.3f ms (%.2f us per hold),"
                + " %d handed to the holder%n", s.lockAcquisitions(), s.lockWaitNanos() / 1e6, s.lockHoldNanos() / 1e6,
                s.lockAcquisitions() == 0 ? 0.0 : s.lockHoldNanos() / 1e3 / s.lockAcquisitions(), s.lockHandoffs());
        out.printf(Locale.ROOT, "lock p50/p99:    wait %.1f / %.1f us, hold %.1f / %.1f us%n",
                s.lockWaitP50Nanos() / 1e3, s.lockWaitP99Nanos() / 1e3, s.lockHoldP50Nanos() / 1e3,
                s.lockHoldP99Nanos() / 1e3);
        out.println("request updates: " + s.requestUpdates());
        out.println("hash failures:   " + s.hashFailures());
        out.println("banned peers:    " + s.bannedPeers());
    }

    /**
     * {@code stop ID}: disconnects and stops; state is saved. Through the session's queue when
     * there is one, as the RPC's torrent-stop: the queue first forgets that the torrent is wanted,
     * so a torrent waiting for a slot (stopped in the engine, which then says nothing) stays
     * stopped, and no rebalance starts it again before it hears of the stop.
     */
    public String stop(String id) throws Exception {
        TorrentHandle t = find(id);
        TorrentQueue q = queue;
        if (q != null) {
            q.stop(t.infoHash());
        } else {
            t.stop();
        }
        return "stopped " + t.infoHash().hex();
    }

    /** {@code remove ID [--data]}: forgets the torrent, deleting its data with --data. */
    public String remove(String... args) throws Exception {
        return shell(() -> {
            Args a = Args.parse(List.of(args), java.util.Set.of(), java.util.Set.of("--data"));
            TorrentHandle t = find(a.operand("ID"));
            t.remove(a.flag("--data")).get(30, TimeUnit.SECONDS);
            return "removed " + t.infoHash().hex() + (a.flag("--data") ? " and its data" : "");
        });
    }

    /** {@code peer ID HOST:PORT}: connects the torrent to a peer. */
    public String peer(String id, String address) throws Exception {
        return shell(() -> {
            TorrentHandle t = find(id);
            t.connect(Peers.parse(address));
            return "connecting " + t.infoHash().hex().substring(0, 12) + " to " + address;
        });
    }

    /** {@code strategy}: the strategy in use and those available. */
    public void strategy() {
        PrintStream out = System.out;
        out.println("in use:    " + engine.strategy().orElse("(none bound)"));
        out.println("available: " + String.join(" ", new TreeSet<>(strategies.values())));
        out.println("configured " + STRATEGY_TARGET + ": " + target().orElse("(not set: any)"));
    }

    /** {@code strategy NAME}: makes the engine use that strategy, by its configuration. */
    public String strategy(String name) throws Exception {
        return shell(() -> {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw CliException.badInput("bad strategy name '" + name + "'");
            }
            if (!strategies.containsValue(name)) {
                throw CliException.badInput("no strategy '" + name + "'; available: "
                        + String.join(" ", new TreeSet<>(strategies.values())));
            }
            setStrategy(configurations, name);
            return "strategy.target set to (strategy.name=" + name + "); the engine swaps at once";
        });
    }

    /** Sets {@code strategy.target} on the engine's configuration, keeping its other properties. */
    static void setStrategy(ConfigurationAdmin cm, String name) throws IOException {
        Configuration c = cm.getConfiguration(ENGINE_PID, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        props.put(STRATEGY_TARGET, "(" + RequestStrategy.NAME_PROPERTY + "=" + name + ")");
        c.update(props);
    }

    private Optional<String> target() {
        try {
            Configuration[] found = configurations.listConfigurations("(service.pid=" + ENGINE_PID + ")");
            if (found == null || found[0].getProperties() == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(found[0].getProperties().get(STRATEGY_TARGET)).map(String::valueOf);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private TorrentHandle find(String id) throws GogoCommands.ShellError {
        if (!id.matches("[0-9a-fA-F]{1,40}")) {
            throw new GogoCommands.ShellError("bad ID '" + id + "': give a prefix of the info-hash in hex");
        }
        return engine.find(id.toLowerCase(Locale.ROOT)).orElseThrow(() -> new GogoCommands.ShellError(
                "no torrent, or more than one, has an info-hash starting with " + id));
    }

    private static Io io(CommandSession session) {
        Path cwd = session == null ? null : session.currentDir();
        return cwd == null ? Io.system() : Io.system(cwd);
    }

    private interface Body {
        String run() throws Exception;
    }

    private static String shell(Body body) {
        try {
            return body.run();
        } catch (GogoCommands.ShellError e) {
            throw e;
        } catch (Exception e) {
            throw new GogoCommands.ShellError(Failures.classify(e).getMessage());
        }
    }
}
