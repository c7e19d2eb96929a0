package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.InfoHash;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The queue and seeding limits over the RPC: {@code queue-move-*}, torrent-set's
 * {@code queuePosition} and {@code seed*}, session-get/set's queue sizes and ratio and idle
 * limits. They live in the persistent session ({@link TorrentQueue}); without one (no session
 * configured), reading shows nothing limited and changing is refused by name.
 */
final class QueueMethods {
    /** torrent-set arguments applied here. */
    static final Set<String> SET_ARGUMENTS = Set.of("queuePosition", "seedRatioLimit", "seedRatioMode",
            "seedIdleLimit", "seedIdleMode");
    /** session-set arguments applied here. */
    static final Set<String> SESSION_ARGUMENTS = Set.of("download-queue-size", "download-queue-enabled",
            "seed-queue-size", "seed-queue-enabled", "seedRatioLimit", "seedRatioLimited", "idle-seeding-limit",
            "idle-seeding-limit-enabled");
    /** Beyond any use; keeps a client's number from overflowing minutes into milliseconds. */
    private static final int MAX_MINUTES = 10 * 365 * 24 * 60;
    private static final double MAX_RATIO = 1_000_000;

    private final Ids ids;
    private final Supplier<TorrentQueue> queue;

    QueueMethods(Ids ids, Supplier<TorrentQueue> queue) {
        this.ids = ids;
        this.queue = queue;
    }

    /** The session's queue, or null when Piecework runs without a session. */
    TorrentQueue queue() {
        return queue.get();
    }

    private TorrentQueue required(String what) throws RpcException {
        TorrentQueue q = queue.get();
        if (q == null) {
            throw new RpcException(what + " needs the persistent session (the daemon's), which is not running");
        }
        return q;
    }

    JsonObject move(JsonObject args, TorrentQueue.Move move, String method) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids"), method);
        TorrentQueue q = required(method);
        q.move(ids.resolve(args).stream().map(t -> t.entry().infoHash).toList(), move);
        return new JsonObject();
    }

    /** Checks every argument first, then applies: a refused request changes nothing. */
    void set(JsonObject args, List<Ids.Target> targets) throws RpcException {
        if (SET_ARGUMENTS.stream().noneMatch(args::has)) {
            return;
        }
        TorrentQueue q = required("torrent-set " + String.join(", ", SET_ARGUMENTS.stream().filter(args::has).sorted().toList()));
        Integer position = args.has("queuePosition") ? range(args.get("queuePosition"), "queuePosition", 0, Integer.MAX_VALUE) : null;
        Double ratio = args.has("seedRatioLimit") ? ratio(args.get("seedRatioLimit"), "seedRatioLimit") : null;
        SeedLimits.Mode ratioMode = args.has("seedRatioMode") ? mode(args.get("seedRatioMode"), "seedRatioMode") : null;
        Integer idle = args.has("seedIdleLimit") ? range(args.get("seedIdleLimit"), "seedIdleLimit", 0, MAX_MINUTES) : null;
        SeedLimits.Mode idleMode = args.has("seedIdleMode") ? mode(args.get("seedIdleMode"), "seedIdleMode") : null;
        for (Ids.Target t : targets) {
            InfoHash h = t.entry().infoHash;
            SeedLimits was = q.seedLimits(h);
            SeedLimits next = new SeedLimits(ratioMode != null ? ratioMode : was.ratioMode(),
                    ratio != null ? ratio : was.ratio(), idleMode != null ? idleMode : was.idleMode(),
                    idle != null ? idle : was.idleMinutes());
            if (!next.equals(was)) {
                q.seedLimits(h, next);
            }
        }
        if (position != null) {
            for (Ids.Target t : targets) {
                List<InfoHash> one = List.of(t.entry().infoHash);
                q.move(one, TorrentQueue.Move.TOP);
                for (int i = 0; i < position && q.position(t.entry().infoHash) < position; i++) {
                    q.move(one, TorrentQueue.Move.DOWN);
                }
            }
        }
    }

    /** session-get's queue and seeding fields: the session's limits, or nothing limited without one. */
    void describe(JsonObject out) {
        TorrentQueue q = queue.get();
        QueueLimits l = q == null ? QueueLimits.NONE : q.limits();
        out.addProperty("download-queue-enabled", q != null && l.downloadQueueEnabled());
        out.addProperty("download-queue-size", l.downloadQueueSize());
        out.addProperty("seed-queue-enabled", q != null && l.seedQueueEnabled());
        out.addProperty("seed-queue-size", l.seedQueueSize());
        out.addProperty("seedRatioLimited", q != null && l.ratioLimited());
        out.addProperty("seedRatioLimit", l.ratioLimit());
        out.addProperty("idle-seeding-limit-enabled", q != null && l.idleLimited());
        out.addProperty("idle-seeding-limit", l.idleMinutes());
        out.addProperty("queue-stalled-enabled", false);
    }

    /** session-set's queue and seeding arguments; checked before anything is applied. */
    void setSession(JsonObject args) throws RpcException {
        if (SESSION_ARGUMENTS.stream().noneMatch(args::has)) {
            return;
        }
        TorrentQueue q = required("session-set " + String.join(", ",
                SESSION_ARGUMENTS.stream().filter(args::has).sorted().toList()));
        QueueLimits l = q.limits();
        QueueLimits next = new QueueLimits(
                Requests.bool(args, "download-queue-enabled", l.downloadQueueEnabled()),
                args.has("download-queue-size") ? range(args.get("download-queue-size"), "download-queue-size", 0, 100_000)
                        : l.downloadQueueSize(),
                Requests.bool(args, "seed-queue-enabled", l.seedQueueEnabled()),
                args.has("seed-queue-size") ? range(args.get("seed-queue-size"), "seed-queue-size", 0, 100_000)
                        : l.seedQueueSize(),
                Requests.bool(args, "seedRatioLimited", l.ratioLimited()),
                args.has("seedRatioLimit") ? ratio(args.get("seedRatioLimit"), "seedRatioLimit") : l.ratioLimit(),
                Requests.bool(args, "idle-seeding-limit-enabled", l.idleLimited()),
                args.has("idle-seeding-limit") ? range(args.get("idle-seeding-limit"), "idle-seeding-limit", 0, MAX_MINUTES)
                        : l.idleMinutes());
        if (!next.equals(l)) {
            q.limits(next);
        }
    }

    private static int range(JsonElement e, String name, int min, int max) throws RpcException {
        int n = Requests.integer(e, name);
        if (n < min || n > max) {
            throw new RpcException(name + " must be " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    private static SeedLimits.Mode mode(JsonElement e, String name) throws RpcException {
        // Transmission's numbers: 0 the session's limit, 1 the torrent's own, 2 none.
        return SeedLimits.Mode.values()[range(e, name, 0, 2)];
    }

    private static double ratio(JsonElement e, String name) throws RpcException {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new RpcException(name + " must be a number, got " + Requests.shown(e));
        }
        double r;
        try {
            r = new BigDecimal(e.getAsJsonPrimitive().getAsString()).doubleValue();
        } catch (NumberFormatException x) {
            throw new RpcException(name + " must be a number, got " + Requests.shown(e));
        }
        if (!(r >= 0 && r <= MAX_RATIO)) {
            throw new RpcException(name + " must be 0 to " + (long) MAX_RATIO + ", got " + Requests.shown(e));
        }
        return r;
    }
}
