package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a request's {@code ids}: absent for every torrent, an integer id, a hash string,
 * {@code "recently-active"}, or an array of ids and hash strings.
 */
final class Ids {
    static final String RECENTLY_ACTIVE = "recently-active";

    /** A torrent with its book entry. */
    record Target(TorrentHandle handle, TorrentBook.Entry entry) {
    }

    private final EngineRef engine;
    private final TorrentBook book;

    Ids(EngineRef engine, TorrentBook book) {
        this.engine = engine;
        this.book = book;
    }

    /** Every torrent of the engine in id order; gives new ones an id and forgets removed ones. */
    List<Target> all() throws RpcException {
        List<TorrentHandle> torrents = engine.get().torrents();
        List<Target> targets = new ArrayList<>(torrents.size());
        for (TorrentHandle t : torrents) {
            targets.add(new Target(t, book.entry(t.infoHash())));
        }
        book.retainOnly(torrents.stream().map(TorrentHandle::infoHash).toList());
        targets.sort(java.util.Comparator.comparingInt(t -> t.entry().id));
        return targets;
    }

    List<Target> resolve(JsonObject arguments) throws RpcException {
        List<Target> all = all();
        JsonElement ids = arguments.get("ids");
        if (ids == null || ids.isJsonNull()) {
            return all;
        }
        if (ids.isJsonPrimitive() && ids.getAsJsonPrimitive().isString()
                && ids.getAsString().equals(RECENTLY_ACTIVE)) {
            return all.stream().filter(t -> recentlyActive(t.handle().stats())).toList();
        }
        JsonArray list = ids.isJsonArray() ? ids.getAsJsonArray() : single(ids);
        List<Target> chosen = new ArrayList<>();
        for (JsonElement id : list) {
            Target t = find(all, id);
            if (t != null && !chosen.contains(t)) {
                chosen.add(t);
            }
        }
        return chosen;
    }

    /** Active now, as far as a snapshot can tell: moving payload or checking data. */
    static boolean recentlyActive(TorrentStats s) {
        return s.downloadRate() > 0 || s.uploadRate() > 0 || s.state() == TorrentState.CHECKING
                || s.state() == TorrentState.DOWNLOADING;
    }

    private static JsonArray single(JsonElement id) {
        JsonArray a = new JsonArray();
        a.add(id);
        return a;
    }

    /** The torrent an id names, or null when none has it (Transmission skips those too). */
    private static Target find(List<Target> all, JsonElement id) throws RpcException {
        if (!id.isJsonPrimitive()) {
            throw new RpcException("invalid id: " + Requests.shown(id));
        }
        JsonPrimitive p = id.getAsJsonPrimitive();
        if (p.isNumber()) {
            int n = Requests.integer(p, "ids");
            return all.stream().filter(t -> t.entry().id == n).findFirst().orElse(null);
        }
        if (p.isString()) {
            InfoHash hash;
            try {
                hash = InfoHash.parse(p.getAsString());
            } catch (IllegalArgumentException e) {
                throw new RpcException("invalid id: " + e.getMessage());
            }
            return all.stream().filter(t -> t.entry().infoHash.equals(hash)).findFirst().orElse(null);
        }
        throw new RpcException("invalid id: " + Requests.shown(id));
    }
}
