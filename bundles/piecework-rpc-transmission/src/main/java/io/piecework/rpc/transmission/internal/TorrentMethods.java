package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code torrent-get}, {@code -start}, {@code -stop}, {@code -verify}, {@code -remove} and {@code -set} over the engine's handles. */
final class TorrentMethods {
    /** Removing waits this long for the engine to stop the torrent and delete its files, then answers. */
    private static final long REMOVE_WAIT_SECONDS = 30;
    /** torrent-set arguments Piecework applies. */
    private static final Set<String> SET_ARGUMENTS = Set.of("ids", "files-wanted", "files-unwanted",
            "priority-high", "priority-normal", "priority-low", "downloadLimit", "downloadLimited", "uploadLimit",
            "uploadLimited");
    /** torrent-set arguments Transmission has and the engine cannot apply yet: refused by name. */
    private static final Set<String> SET_NOT_APPLIED = Set.of("honorsSessionLimits", "bandwidthPriority", "peer-limit",
            "location", "trackerAdd",
            "trackerRemove", "trackerReplace", "trackerList", "group");

    private final Ids ids;
    private final TorrentFields fields;
    private final TorrentBook book;
    private final QueueMethods queue;
    private final KeptFields kept;

    TorrentMethods(Ids ids, TorrentFields fields, TorrentBook book) {
        this(ids, fields, book, new QueueMethods(ids, () -> null));
    }

    TorrentMethods(Ids ids, TorrentFields fields, TorrentBook book, QueueMethods queue) {
        this.queue = queue;
        this.kept = new KeptFields(queue::queue);
        this.ids = ids;
        this.fields = fields;
        this.book = book;
    }

    JsonObject get(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids", "fields", "format"), "torrent-get");
        List<String> names = Requests.strings(args, "fields");
        if (names == null) {
            throw new RpcException("torrent-get needs fields: the list of fields to return");
        }
        String format = Requests.string(args, "format");
        if (format != null && !format.equals("objects")) {
            throw new RpcException("torrent-get: format " + Requests.shown(format) + " is not supported, only objects");
        }
        boolean recent = args.has("ids") && args.get("ids").isJsonPrimitive()
                && Ids.RECENTLY_ACTIVE.equals(args.get("ids").getAsString());
        JsonArray torrents = new JsonArray();
        long now = book.nowSeconds();
        for (Ids.Target t : ids.resolve(args)) {
            torrents.add(fields.describe(t.handle(), t.entry(), names, now));
        }
        JsonObject out = new JsonObject();
        out.add("torrents", torrents);
        if (recent) {
            out.add("removed", Requests.array(book.recentlyRemoved()));
        }
        return out;
    }

    /** Through the session's queue when there is one: a torrent without a free slot waits; {@code now} does not. */
    JsonObject start(JsonObject args, boolean now) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids"), now ? "torrent-start-now" : "torrent-start");
        TorrentQueue q = queue.queue();
        ids.resolve(args).forEach(t -> {
            if (q == null) {
                t.handle().start();
            } else {
                q.start(t.entry().infoHash, now);
            }
        });
        return new JsonObject();
    }

    JsonObject stop(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids"), "torrent-stop");
        TorrentQueue q = queue.queue();
        ids.resolve(args).forEach(t -> {
            if (q == null) {
                t.handle().stop();
            } else {
                q.stop(t.entry().infoHash);
            }
        });
        return new JsonObject();
    }

    /** Answers at once, as Transmission does; the checks are queued, run one at a time and shown in the status. */
    JsonObject verify(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids"), "torrent-verify");
        List<Ids.Target> targets = ids.resolve(args);
        for (Ids.Target t : targets) {
            if (t.handle().metainfo() == null) {
                throw new RpcException("torrent " + t.entry().id + " has no data to check yet (its metadata is still being fetched)");
            }
        }
        for (Ids.Target t : targets) {
            book.verifications.verify(t.entry(), t.handle()); // one at a time; failures are logged there
        }
        return new JsonObject();
    }

    /** Waits (bounded) so that a failure to delete the data reaches the client instead of a log only. */
    JsonObject remove(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, Set.of("ids", "delete-local-data"), "torrent-remove");
        boolean deleteData = Requests.bool(args, "delete-local-data", false);
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (Ids.Target t : ids.resolve(args)) {
            removals.add(t.handle().remove(deleteData));
        }
        try {
            CompletableFuture.allOf(removals.toArray(new CompletableFuture<?>[0])).get(REMOVE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new RpcException("removing failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RpcException("removal still under way after " + REMOVE_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException("interrupted while removing");
        }
        return new JsonObject();
    }

    JsonObject set(JsonObject args) throws RpcException {
        List<String> notApplied = args.keySet().stream().filter(SET_NOT_APPLIED::contains).sorted().toList();
        if (!notApplied.isEmpty()) {
            throw new RpcException("torrent-set: not applied, the engine has no " + String.join(", ", notApplied)
                    + " yet (docs/rpc.md)");
        }
        Set<String> known = new java.util.HashSet<>(SET_ARGUMENTS);
        known.addAll(QueueMethods.SET_ARGUMENTS);
        known.addAll(KeptFields.NAMES);
        Requests.onlyKnown(args, known, "torrent-set");
        KeptFields.Change change = kept.parse(args, "torrent-set");
        FileChoices choices = FileChoices.of(args);
        LimitChange down = LimitChange.of(args, "downloadLimit", "downloadLimited");
        LimitChange up = LimitChange.of(args, "uploadLimit", "uploadLimited");
        List<Ids.Target> targets = ids.resolve(args);
        // Everything is checked before anything is applied: a refused request changes nothing.
        List<RateLimits> limits = new ArrayList<>();
        for (Ids.Target t : targets) {
            change.check(t.handle(), t.entry().id);
            if (!choices.isEmpty()) {
                if (t.handle().metainfo() == null) {
                    throw new RpcException("torrent " + t.entry().id + " has no file list yet (its metadata is still being fetched)");
                }
                choices.check(t.handle().metainfo().files().size());
            }
            RateLimits now = t.handle().rateLimits();
            limits.add(new RateLimits(down.isEmpty() ? now.downloadBytesPerSecond() : 1024L * down.apply(kib(now.downloadBytesPerSecond())),
                    up.isEmpty() ? now.uploadBytesPerSecond() : 1024L * up.apply(kib(now.uploadBytesPerSecond()))));
        }
        queue.set(args, targets); // before the files and limits: it is the half that can still refuse
        for (int i = 0; i < targets.size(); i++) {
            Ids.Target t = targets.get(i);
            if (!choices.isEmpty()) {
                t.entry().follow(t.handle());
                choices.apply(t.handle(), t.entry(), t.handle().metainfo().files().size());
            }
            if (!down.isEmpty() || !up.isEmpty()) {
                t.handle().rateLimits(limits.get(i));
            }
            change.apply(t.handle());
        }
        return new JsonObject();
    }

    /** Bytes per second as Transmission's (KiB/s here) limits; a limit under 1 KiB/s shows as 1, not as off. */
    static int kib(long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : (int) Math.min(LimitChange.MAX_KIB, Math.max(1, bytesPerSecond / 1024));
    }
}
