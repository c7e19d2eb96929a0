package io.piecework.loadtest.internal;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.strategy.RequestStrategy;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The engine's configuration (PID {@value #PID}) as the load test reads and changes it: the
 * connection limits it must fit in, and {@code strategy.target}, set as
 * {@code piecework:strategy} sets it so the engine swaps the strategy it runs.
 */
final class EngineConfig {
    static final String PID = "io.piecework.engine";
    static final String STRATEGY_TARGET = "strategy.target";
    /** The engine component's defaults (EngineComponent.Config), for a configuration that does not set them. */
    static final int DEFAULT_MAX_CONNECTIONS = 500;
    static final int DEFAULT_MAX_PEERS_PER_TORRENT = 50;
    private static final long SWAP_TIMEOUT_MS = 10_000;
    private final ConfigurationAdmin configurations;
    private final TorrentEngine engine;

    EngineConfig(ConfigurationAdmin configurations, TorrentEngine engine) {
        this.configurations = configurations;
        this.engine = engine;
    }

    int maxConnections() throws IOException {
        return intProperty("max.connections", DEFAULT_MAX_CONNECTIONS);
    }

    int maxPeersPerTorrent() throws IOException {
        return intProperty("max.peers.per.torrent", DEFAULT_MAX_PEERS_PER_TORRENT);
    }

    /** Refuses a scenario the engine's limits would silently cut short. */
    void checkLimits(Options o) throws IOException {
        int perTorrent = maxPeersPerTorrent();
        if (o.peers() > perTorrent) {
            throw new IllegalArgumentException("--peers " + o.peers() + " is over the engine's max.peers.per.torrent ("
                    + perTorrent + "): it would connect to only " + perTorrent);
        }
        int max = maxConnections();
        if (o.connections() > max) {
            throw new IllegalArgumentException(o.torrents() + " torrents x " + o.peers() + " peers need " + o.connections()
                    + " connections, over the engine's max.connections (" + max + "); add --max-connections "
                    + o.connections() + " to raise it for this run");
        }
    }

    /** The configured filter, or null when the configuration does not set one. */
    String strategyTarget() throws IOException {
        return properties().map(p -> p.get(STRATEGY_TARGET)).map(String::valueOf).orElse(null);
    }

    /** Sets strategy.target to {@code name} and waits (bounded) until the engine runs it. */
    void useStrategy(String name) throws IOException, InterruptedException {
        setTarget("(" + RequestStrategy.NAME_PROPERTY + "=" + name + ")");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SWAP_TIMEOUT_MS);
        while (!engine.strategy().equals(Optional.of(name))) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the engine did not switch to strategy " + name + " within "
                        + SWAP_TIMEOUT_MS + " ms; it runs " + engine.strategy().orElse("none"));
            }
            Thread.sleep(10);
        }
    }

    /** Puts strategy.target back as it was (null: not set). */
    void restoreStrategy(String original) throws IOException {
        setTarget(original);
    }

    private void setTarget(String target) throws IOException {
        Configuration c = configurations.getConfiguration(PID, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (target == null) {
            props.remove(STRATEGY_TARGET);
        } else {
            props.put(STRATEGY_TARGET, target);
        }
        c.update(props);
    }

    private int intProperty(String key, int fallback) throws IOException {
        Object value = properties().map(p -> p.get(key)).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Optional<Dictionary<String, Object>> properties() throws IOException {
        try {
            Configuration[] found = configurations.listConfigurations("(service.pid=" + PID + ")");
            return found == null ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
