package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonObject;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code session-get}, {@code session-set}, {@code session-stats}, {@code free-space} and
 * {@code port-test}. Only what is true of Piecework is reported, and what it cannot apply is
 * refused by name. Rate limits are the engine's configuration ({@link SessionLimits}), in KiB/s;
 * the queue and seeding limits are the session's ({@link QueueMethods}).
 */
final class SessionMethods {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionMethods.class);
    /** Transmission 3.00's RPC version; clients pick their requests by it. */
    static final int RPC_VERSION = 16;
    /** session-set arguments Transmission has that Piecework cannot apply yet. */
    private static final Set<String> NOT_APPLIED = Set.of("alt-speed-time-begin",
            "alt-speed-time-day", "alt-speed-time-enabled", "alt-speed-time-end",
            "queue-stalled-enabled", "queue-stalled-minutes", "peer-limit-global",
            "peer-limit-per-torrent", "peer-port", "peer-port-random-on-start", "port-forwarding-enabled", "dht-enabled",
            "pex-enabled", "lpd-enabled", "utp-enabled", "encryption", "blocklist-enabled", "blocklist-url",
            "cache-size-mb", "incomplete-dir", "incomplete-dir-enabled", "rename-partial-files",
            "trash-original-torrent-files", "script-torrent-done-enabled", "script-torrent-done-filename");

    private final EngineRef engine;
    private final Ids ids;
    private final SessionSettings settings;
    private final String sessionId;
    private final long startedSeconds;
    private final TorrentBook book;
    private final SessionLimits limits;
    private final QueueMethods queue;
    /** Where accepted session-set arguments are kept across restarts; null: not kept (no session). */
    private volatile KeptSessionSettings kept;
    private final java.util.concurrent.atomic.AtomicBoolean replayed = new java.util.concurrent.atomic.AtomicBoolean();

    SessionMethods(EngineRef engine, Ids ids, TorrentBook book, SessionSettings settings, String sessionId,
                   SessionLimits limits) {
        this(engine, ids, book, settings, sessionId, limits, new QueueMethods(ids, () -> null));
    }

    SessionMethods(EngineRef engine, Ids ids, TorrentBook book, SessionSettings settings, String sessionId,
                   SessionLimits limits, QueueMethods queue) {
        this.limits = limits;
        this.queue = queue;
        this.engine = engine;
        this.ids = ids;
        this.book = book;
        this.settings = settings;
        this.sessionId = sessionId;
        this.startedSeconds = book.nowSeconds();
    }

    JsonObject get(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("fields"), "session-get");
        JsonObject all = new JsonObject();
        all.addProperty("version", "3.00 (Piecework)");
        all.addProperty("rpc-version", RPC_VERSION);
        all.addProperty("rpc-version-minimum", 1);
        all.addProperty("session-id", sessionId);
        all.addProperty("download-dir", settings.downloadDir.toString());
        all.addProperty("download-dir-free-space", usableSpace(settings.downloadDir));
        all.addProperty("peer-port", engine.get().listenPort());
        all.addProperty("pex-enabled", true);
        all.addProperty("start-added-torrents", settings.startAdded);
        all.addProperty("port-forwarding-enabled", false);
        all.addProperty("utp-enabled", false);
        all.addProperty("incomplete-dir-enabled", false);
        limits(all);
        all.addProperty("alt-speed-time-enabled", false);
        queue.describe(all);
        List<String> fields = Requests.strings(args, "fields");
        if (fields == null) {
            return all;
        }
        JsonObject chosen = new JsonObject();
        fields.stream().filter(all::has).forEach(f -> chosen.add(f, all.get(f)));
        return chosen;
    }

    private void limits(JsonObject all) {
        SessionLimits.Values v;
        try {
            v = limits.get();
        } catch (RpcException e) {
            v = new SessionLimits.Values(0, 0, 0, 0, false); // none can be applied either: shown as off
        }
        all.addProperty("speed-limit-down", v.downloadKiB());
        all.addProperty("speed-limit-down-enabled", v.downloadKiB() > 0);
        all.addProperty("speed-limit-up", v.uploadKiB());
        all.addProperty("speed-limit-up-enabled", v.uploadKiB() > 0);
        all.addProperty("alt-speed-down", v.turtleDownloadKiB());
        all.addProperty("alt-speed-up", v.turtleUploadKiB());
        all.addProperty("alt-speed-enabled", v.turtle());
        // No schedule for the turtle (alt-speed-time-enabled is false); transmission-remote -si shows
        // the limits only when these are present too.
        all.addProperty("alt-speed-time-begin", 0);
        all.addProperty("alt-speed-time-end", 0);
        all.addProperty("alt-speed-time-day", 0);
        all.addProperty("peer-limit-global", limits.maxConnections());
        JsonObject units = new JsonObject(); // limits are KiB/s: clients that read units show them right
        units.add("speed-units", Requests.stringArray("KiB/s", "MiB/s", "GiB/s", "TiB/s"));
        units.addProperty("speed-bytes", 1024);
        units.add("size-units", Requests.stringArray("KiB", "MiB", "GiB", "TiB"));
        units.addProperty("size-bytes", 1024);
        units.add("memory-units", Requests.stringArray("KiB", "MiB", "GiB", "TiB"));
        units.addProperty("memory-bytes", 1024);
        all.add("units", units);
    }

    /** The new limits, or null when the request changes none; checked whole before anything is applied. */
    private SessionLimits.Values newLimits(JsonObject args) throws RpcException {
        LimitChange down = LimitChange.of(args, "speed-limit-down", "speed-limit-down-enabled");
        LimitChange up = LimitChange.of(args, "speed-limit-up", "speed-limit-up-enabled");
        LimitChange turtleDown = LimitChange.of(args, "alt-speed-down", null);
        LimitChange turtleUp = LimitChange.of(args, "alt-speed-up", null);
        boolean switched = args.has("alt-speed-enabled");
        boolean turtle = Requests.bool(args, "alt-speed-enabled", false);
        if (down.isEmpty() && up.isEmpty() && turtleDown.isEmpty() && turtleUp.isEmpty() && !switched) {
            return null;
        }
        SessionLimits.Values v = limits.get();
        return new SessionLimits.Values(down.apply(v.downloadKiB()), up.apply(v.uploadKiB()),
                turtleDown.apply(v.turtleDownloadKiB()), turtleUp.apply(v.turtleUploadKiB()), switched ? turtle : v.turtle());
    }

    JsonObject set(JsonObject args) throws RpcException {
        List<String> notApplied = args.keySet().stream().filter(NOT_APPLIED::contains).sorted().toList();
        if (!notApplied.isEmpty()) {
            throw new RpcException("session-set: not applied, Piecework has no " + String.join(", ", notApplied)
                    + " setting yet (docs/rpc.md)");
        }
        Set<String> known = new java.util.HashSet<>(QueueMethods.SESSION_ARGUMENTS);
        known.addAll(Set.of("download-dir", "start-added-torrents", "speed-limit-down",
                "speed-limit-down-enabled", "speed-limit-up", "speed-limit-up-enabled", "alt-speed-down", "alt-speed-up",
                "alt-speed-enabled"));
        Requests.onlyKnown(args, known, "session-set");
        String dir = Requests.string(args, "download-dir");
        Path path = dir == null ? settings.downloadDir : Requests.absolutePath(dir, "download-dir");
        // Checked before applying: a refused limit or folder changes nothing.
        boolean startAdded = Requests.bool(args, "start-added-torrents", settings.startAdded);
        SessionLimits.Values next = newLimits(args);
        queue.setSession(args);
        if (next != null) {
            limits.set(next);
        }
        settings.startAdded = startAdded;
        settings.downloadDir = path;
        KeptSessionSettings k = kept;
        if (k != null && !args.keySet().isEmpty()) {
            k.record(args);
        }
        return new JsonObject();
    }

    /**
     * Keeps accepted session-set arguments in {@code file} from now on, and applies the ones kept
     * there once (at start, when the session is there to apply the queue's): they win over the
     * configuration files, which is documented (docs/rpc.md).
     */
    void keepIn(KeptSessionSettings file) {
        kept = file;
        if (!replayed.compareAndSet(false, true)) {
            return;
        }
        JsonObject saved = file.read();
        if (saved.keySet().isEmpty()) {
            return;
        }
        kept = null; // applying them again is not a change to record
        try {
            set(saved);
            LOG.info("session-set settings kept in {} applied: {}",
                    file.file(), String.join(", ", new java.util.TreeSet<>(saved.keySet())));
        } catch (RpcException e) {
            LOG.warn("session-set settings kept in {} not applied (the configuration's hold): {}", file.file(), e.getMessage());
        } finally {
            kept = file;
        }
    }

    JsonObject stats(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of(), "session-stats");
        List<Ids.Target> all = ids.all();
        EngineStats e = engine.get().stats();
        long active = all.stream().filter(t -> Ids.recentlyActive(t.handle().stats())).count();
        long paused = all.stream().map(t -> t.handle().stats().state())
                .filter(s -> s == TorrentState.STOPPED || s == TorrentState.PAUSED).count();
        JsonObject out = new JsonObject();
        out.addProperty("activeTorrentCount", active);
        out.addProperty("pausedTorrentCount", paused);
        out.addProperty("torrentCount", all.size());
        out.addProperty("downloadSpeed", e.downloadRate());
        out.addProperty("uploadSpeed", e.uploadRate());
        // Nothing is kept across runs yet: the cumulative figures are this run's.
        JsonObject current = new JsonObject();
        current.addProperty("uploadedBytes", e.uploaded());
        current.addProperty("downloadedBytes", e.downloaded());
        current.addProperty("filesAdded", all.size());
        current.addProperty("sessionCount", 1);
        current.addProperty("secondsActive", book.nowSeconds() - startedSeconds);
        out.add("current-stats", current);
        out.add("cumulative-stats", current.deepCopy());
        return out;
    }

    JsonObject freeSpace(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("path"), "free-space");
        String text = Requests.string(args, "path");
        if (text == null) {
            throw new RpcException("free-space needs a path");
        }
        Path path = Requests.absolutePath(text, "path");
        long free = usableSpace(path);
        if (free < 0) {
            throw new RpcException("free-space: " + Requests.shown(text) + " is not a folder the daemon can read");
        }
        JsonObject out = new JsonObject();
        out.addProperty("path", text);
        out.addProperty("size-bytes", free);
        return out;
    }

    static RpcException portTestUnavailable() {
        return new RpcException("port-test is not available: Piecework asks no outside service to probe its "
                + "port; check from another machine that TCP port is reachable");
    }

    private static long usableSpace(Path path) {
        try {
            return Files.isDirectory(path) ? Files.getFileStore(path).getUsableSpace() : -1;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
