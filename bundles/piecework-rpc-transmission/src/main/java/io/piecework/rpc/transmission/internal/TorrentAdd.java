package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonObject;
import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code torrent-add}: a .torrent as base64 {@code metainfo}, or a {@code filename} that is a
 * magnet link or a path on the daemon's machine. Both kinds of .torrent go through the
 * metainfo service's parser, which treats them as untrusted (size, depth and path limits).
 */
final class TorrentAdd {
    static final Set<String> ARGUMENTS = Set.of("filename", "metainfo", "download-dir", "paused", "files-wanted",
            "files-unwanted", "priority-high", "priority-low", "priority-normal", "labels", "sequentialDownload");

    private final EngineRef engineRef;
    private final MetainfoService metainfo;
    private final TorrentBook book;
    private final SessionSettings settings;
    /** The session's queue, or null without a session. */
    private final Supplier<TorrentQueue> queue;

    TorrentAdd(EngineRef engine, MetainfoService metainfo, TorrentBook book, SessionSettings settings) {
        this(engine, metainfo, book, settings, () -> null);
    }

    TorrentAdd(EngineRef engine, MetainfoService metainfo, TorrentBook book, SessionSettings settings,
               Supplier<TorrentQueue> queue) {
        this.queue = queue;
        this.engineRef = engine;
        this.metainfo = metainfo;
        this.book = book;
        this.settings = settings;
    }

    JsonObject add(JsonObject args) throws RpcException {
        Requests.onlyKnown(args, ARGUMENTS, "torrent-add");
        TorrentEngine engine = engineRef.get();
        String filename = Requests.string(args, "filename");
        String encoded = Requests.string(args, "metainfo");
        if ((filename == null) == (encoded == null)) {
            throw new RpcException("torrent-add needs exactly one of filename and metainfo");
        }
        String dirText = Requests.string(args, "download-dir");
        Path dir = dirText == null ? settings.downloadDir : Requests.absolutePath(dirText, "download-dir");
        boolean paused = Requests.bool(args, "paused", !settings.startAdded);
        TorrentQueue q = queue.get();
        // With a queue, added stopped and started through it: it waits if no slot is free.
        AddOptions options = new AddOptions(dir, paused || q != null, List.of());
        FileChoices choices = FileChoices.of(args);
        KeptFields.Change change = new KeptFields(queue).parse(args, "torrent-add");
        Object torrent = encoded != null ? parse(decode(encoded)) : fromFilename(filename);
        InfoHash hash = torrent instanceof MagnetLink m ? m.infoHash() : ((TorrentMetainfo) torrent).infoHash();
        if (engine.find(hash).isPresent()) {
            return answer("torrent-duplicate", engine.find(hash).get());
        }
        if (!choices.isEmpty() && !(torrent instanceof TorrentMetainfo)) {
            throw new RpcException("file choices need the torrent's file list: add the magnet first, then use torrent-set");
        }
        if (torrent instanceof TorrentMetainfo meta) {
            choices.check(meta.files().size());
        } else if (Requests.bool(args, "sequentialDownload", false)) {
            throw new RpcException("sequentialDownload needs the torrent's pieces: add the magnet first, then use torrent-set");
        }
        TorrentHandle handle;
        try {
            // The storage creates the folder (and refuses unsafe ones).
            handle = torrent instanceof MagnetLink m ? engine.add(m, options) : engine.add((TorrentMetainfo) torrent, options);
        } catch (IOException e) {
            throw new RpcException("cannot add the torrent in " + dir + ": " + e.getMessage());
        }
        TorrentBook.Entry entry = book.entry(hash);
        entry.downloadDir = dir;
        if (handle.metainfo() != null) {
            choices.apply(handle, entry, handle.metainfo().files().size());
        }
        change.apply(handle);
        if (q != null && !paused) {
            q.start(hash, false);
        }
        return answer("torrent-added", handle);
    }

    private JsonObject answer(String key, TorrentHandle handle) {
        JsonObject t = new JsonObject();
        t.addProperty("id", book.entry(handle.infoHash()).id);
        t.addProperty("name", handle.stats().name());
        t.addProperty("hashString", handle.infoHash().hex());
        JsonObject args = new JsonObject();
        args.add(key, t);
        return args;
    }

    private static byte[] decode(String base64) throws RpcException {
        try {
            // Clients may wrap base64 in lines; anything else outside the alphabet is an error.
            return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new RpcException("metainfo is not base64: " + e.getMessage());
        }
    }

    private TorrentMetainfo parse(byte[] bytes) throws RpcException {
        try {
            return metainfo.parse(bytes);
        } catch (InvalidTorrentException e) {
            throw new RpcException("invalid or corrupt torrent file: " + e.getMessage());
        }
    }

    private Object fromFilename(String filename) throws RpcException {
        if (filename.regionMatches(true, 0, "magnet:", 0, 7)) {
            try {
                return metainfo.parseMagnet(filename);
            } catch (InvalidTorrentException e) {
                throw new RpcException("invalid magnet link: " + e.getMessage());
            }
        }
        if (filename.matches("(?i)(https?|ftps?)://.*")) {
            throw new RpcException("Piecework does not fetch torrents from URLs: download the .torrent and add it "
                    + "as metainfo or by its path");
        }
        Path path = Requests.absolutePath(filename, "filename");
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new RpcException("filename " + Requests.shown(filename) + " is not a readable file for the daemon's user");
        }
        try {
            return metainfo.read(path);
        } catch (InvalidTorrentException e) {
            throw new RpcException("invalid or corrupt torrent file: " + e.getMessage());
        } catch (IOException e) {
            throw new RpcException("cannot read " + Requests.shown(filename) + ": " + e.getMessage());
        }
    }
}
