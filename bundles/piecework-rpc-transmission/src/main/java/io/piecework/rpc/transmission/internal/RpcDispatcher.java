package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.piecework.api.engine.TorrentQueue;
import java.io.StringReader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC request's JSON in, its answer out: {@code result} is "success" or the error, and the
 * request's {@code tag} comes back. Nothing thrown here reaches the servlet: an unexpected
 * failure is logged and answered as an error result too, never as an HTTP 500.
 */
final class RpcDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);
    /** Deeper JSON than any request needs is refused before it can cost stack or heap. */
    private static final int MAX_NESTING = 16;
    /** Methods Transmission has that Piecework answers with an honest error. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("torrent-reannounce", "torrent-set-location",
            "torrent-rename-path", "blocklist-update", "session-close", "group-get", "group-set");

    private final TorrentAdd add;
    private final TorrentMethods torrents;
    private final SessionMethods session;
    private final QueueMethods queue;

    RpcDispatcher(TorrentAdd add, TorrentMethods torrents, SessionMethods session) {
        this(add, torrents, session, null);
    }

    /** @param queue the queue-move methods; null answers them as not available */
    RpcDispatcher(TorrentAdd add, TorrentMethods torrents, SessionMethods session, QueueMethods queue) {
        this.queue = queue;
        this.add = add;
        this.torrents = torrents;
        this.session = session;
    }

    String handle(String body) {
        JsonObject answer = new JsonObject();
        JsonObject request;
        try {
            request = parse(body);
        } catch (RpcException e) {
            answer.addProperty("result", e.getMessage());
            answer.add("arguments", new JsonObject());
            return answer.toString();
        }
        JsonElement tag = request.get("tag");
        if (tag != null && tag.isJsonPrimitive() && tag.getAsJsonPrimitive().isNumber()) {
            answer.add("tag", tag);
        }
        try {
            JsonElement method = request.get("method");
            if (method == null || !method.isJsonPrimitive() || !method.getAsJsonPrimitive().isString()) {
                throw new RpcException("no method name");
            }
            JsonElement args = request.get("arguments");
            if (args != null && !args.isJsonNull() && !args.isJsonObject()) {
                throw new RpcException("arguments must be an object");
            }
            JsonObject arguments = args == null || args.isJsonNull() ? new JsonObject() : args.getAsJsonObject();
            answer.add("arguments", call(method.getAsString(), arguments));
            answer.addProperty("result", "success");
        } catch (RpcException e) {
            answer.add("arguments", new JsonObject());
            answer.addProperty("result", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("RPC request failed: {}", Requests.shown(body), e);
            answer.add("arguments", new JsonObject());
            answer.addProperty("result", "internal error: " + e);
        }
        return answer.toString();
    }

    private JsonObject call(String method, JsonObject args) throws RpcException {
        switch (method) {
            case "session-get": return session.get(args);
            case "session-set": return session.set(args);
            case "session-stats": return session.stats(args);
            case "free-space": return session.freeSpace(args);
            case "port-test": throw SessionMethods.portTestUnavailable();
            case "torrent-add": return add.add(args);
            case "torrent-get": return torrents.get(args);
            case "torrent-start": return torrents.start(args, false);
            case "torrent-start-now": return torrents.start(args, true);
            case "torrent-stop": return torrents.stop(args);
            case "torrent-remove": return torrents.remove(args);
            case "torrent-set": return torrents.set(args);
            case "torrent-verify": return torrents.verify(args);
            case "queue-move-top": return move(args, TorrentQueue.Move.TOP, method);
            case "queue-move-up": return move(args, TorrentQueue.Move.UP, method);
            case "queue-move-down": return move(args, TorrentQueue.Move.DOWN, method);
            case "queue-move-bottom": return move(args, TorrentQueue.Move.BOTTOM, method);
            default:
                if (NOT_IMPLEMENTED.contains(method)) {
                    throw new RpcException(method + " is not implemented by Piecework (docs/rpc.md)");
                }
                // Transmission's own words for it.
                throw new RpcException("method name not recognized");
        }
    }

    private JsonObject move(JsonObject args, TorrentQueue.Move move, String method) throws RpcException {
        if (queue == null) {
            throw new RpcException(method + " needs the persistent session (the daemon's), which is not running");
        }
        return queue.move(args, move, method);
    }

    private static JsonObject parse(String body) throws RpcException {
        try {
            JsonReader reader = new JsonReader(new StringReader(body));
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(MAX_NESTING);
            JsonElement e = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new RpcException("invalid JSON: more after the request object");
            }
            if (!e.isJsonObject()) {
                throw new RpcException("invalid JSON: the request must be an object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
            throw new RpcException("invalid JSON: " + Requests.shown(e.getMessage()));
        }
    }
}
