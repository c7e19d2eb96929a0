package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.api.engine.Labels;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code labels} (Transmission 4.0: an array of strings) and {@code sequentialDownload}
 * (Transmission 4.1) in torrent-get, torrent-set and torrent-add. Labels are the session's
 * ({@link TorrentQueue#labels}): without a session they read as none and setting them is
 * refused. Sequential download is the engine's ({@link TorrentHandle#sequential}) and needs the
 * torrent's metadata: a magnet link still fetching it refuses it.
 */
final class KeptFields {
    /** The torrent-get fields and the torrent-set / torrent-add arguments handled here. */
    static final Set<String> NAMES = Set.of("labels", "sequentialDownload");

    private final Supplier<TorrentQueue> queue;

    KeptFields(Supplier<TorrentQueue> queue) {
        this.queue = queue;
    }

    /** Adds {@code field} to {@code out} if it is one of ours; false if it is not. */
    boolean describe(String field, TorrentHandle handle, JsonObject out) {
        switch (field) {
            case "labels" -> {
                TorrentQueue q = queue.get();
                JsonArray labels = new JsonArray();
                (q == null ? List.<String>of() : q.labels(handle.infoHash())).forEach(labels::add);
                out.add(field, labels);
            }
            case "sequentialDownload" -> out.addProperty(field, handle.sequential());
            default -> {
                return false;
            }
        }
        return true;
    }

    /** What a request asks to change; checked in full before anything is applied. */
    Change parse(JsonObject args, String method) throws RpcException {
        List<String> labels = Requests.strings(args, "labels");
        if (labels != null) {
            try {
                labels = Labels.check(labels);
            } catch (IllegalArgumentException e) {
                throw new RpcException(method + ": labels: " + e.getMessage());
            }
            if (queue.get() == null) {
                throw new RpcException(method + ": labels need the persistent session (the daemon's), which is not running");
            }
        }
        Boolean sequential = args.has("sequentialDownload") ? Requests.bool(args, "sequentialDownload", false) : null;
        return new Change(labels, sequential);
    }

    /** A change of labels and/or sequential download; null leaves it. */
    final class Change {
        private final List<String> labels;
        private final Boolean sequential;

        private Change(List<String> labels, Boolean sequential) {
            this.labels = labels;
            this.sequential = sequential;
        }

        boolean isEmpty() {
            return labels == null && sequential == null;
        }

        /** Refuses what cannot be applied to this torrent, before anything is. */
        void check(TorrentHandle handle, int id) throws RpcException {
            if (sequential != null && handle.metainfo() == null) {
                throw new RpcException("torrent " + id + " has no pieces yet (its metadata is still being fetched):"
                        + " set sequentialDownload once it has");
            }
        }

        void apply(TorrentHandle handle) {
            TorrentQueue q = queue.get();
            if (labels != null && q != null) {
                q.labels(handle.infoHash(), labels);
            }
            if (sequential != null) {
                handle.sequential(sequential);
            }
        }
    }
}
