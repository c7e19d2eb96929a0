package io.piecework.watch.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one file in the watch folder, apart from OSGi and FileInstall: it is read as
 * untrusted input through the metainfo service (its size and parser limits), added to the
 * engine (through the session's queue when there is one), then renamed to {@code .added} or
 * moved away. A file that is not a usable .torrent is renamed {@code .invalid} with a log line
 * saying why; nothing it holds can stop the folder from being watched.
 */
final class WatchFolder {
    private static final Logger LOG = LoggerFactory.getLogger(WatchFolder.class);
    static final String ADDED = ".added";
    static final String INVALID = ".invalid";

    /** What becomes of a .torrent once added. */
    enum After { RENAME, MOVE, DELETE }

    /**
     * @param folder      the watched folder (absolute, normalised)
     * @param downloadDir where added torrents' data goes
     * @param movedTo     where {@link After#MOVE} moves the files
     */
    record Settings(Path folder, Path downloadDir, boolean paused, After after, Path movedTo) {
    }

    private final TorrentEngine engine;
    private final MetainfoService metainfo;
    private final Supplier<TorrentQueue> queue;
    private volatile Settings settings;

    WatchFolder(TorrentEngine engine, MetainfoService metainfo, Supplier<TorrentQueue> queue, Settings settings) {
        this.engine = engine;
        this.metainfo = metainfo;
        this.queue = queue;
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    void settings(Settings next) {
        settings = next;
    }

    /** Whether the file is one of ours: a .torrent directly in the watched folder. */
    boolean handles(Path file) {
        Path f = file.toAbsolutePath().normalize();
        return f.getFileName() != null && f.getFileName().toString().endsWith(".torrent")
                && settings.folder().equals(f.getParent());
    }

    /** Adds the file's torrent and clears it out of the folder; returns the handle, empty when refused. */
    Optional<TorrentHandle> take(Path file) {
        Settings s = settings;
        String shown = Untrusted.text(file.getFileName().toString());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            // A link could point at anything the daemon may read; a folder named *.torrent is not one.
            refuse(file, shown, "not a regular file");
            return Optional.empty();
        }
        TorrentMetainfo meta;
        try {
            meta = metainfo.read(file);
        } catch (IOException | InvalidTorrentException | RuntimeException e) {
            refuse(file, shown, Untrusted.text(String.valueOf(e.getMessage()), 300));
            return Optional.empty();
        }
        TorrentQueue q = queue.get();
        boolean known = engine.find(meta.infoHash()).isPresent();
        TorrentHandle handle;
        try {
            handle = engine.add(meta, new AddOptions(s.downloadDir(), s.paused() || q != null, List.of()));
        } catch (IOException | RuntimeException e) {
            refuse(file, shown, "cannot be added into " + s.downloadDir() + ": " + Untrusted.text(String.valueOf(e.getMessage()), 300));
            return Optional.empty();
        }
        if (q != null && !s.paused() && !known) {
            q.start(meta.infoHash(), false);
        }
        LOG.info("watch: {} {} ({}) into {}", known ? "already had" : "added", shown, meta.infoHash().hex(), s.downloadDir());
        clear(file, shown, s);
        return Optional.of(handle);
    }

    private void clear(Path file, String shown, Settings s) {
        try {
            switch (s.after()) {
                case RENAME -> Files.move(file, file.resolveSibling(file.getFileName() + ADDED), StandardCopyOption.REPLACE_EXISTING);
                case MOVE -> {
                    Files.createDirectories(s.movedTo());
                    Files.move(file, s.movedTo().resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                case DELETE -> Files.delete(file);
            }
        } catch (IOException e) {
            LOG.warn("watch: {} was added but could not be cleared out ({} failed: {}); it stays in the folder", shown,
                    s.after(), e.toString());
        }
    }

    private static void refuse(Path file, String shown, String why) {
        Path invalid = file.resolveSibling(file.getFileName() + INVALID);
        try {
            Files.move(file, invalid, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("watch: {} is not a usable .torrent ({}): renamed to {}", shown, why, Untrusted.text(invalid.getFileName().toString()));
        } catch (IOException e) {
            LOG.warn("watch: {} is not a usable .torrent ({}) and could not be renamed: {}", shown, why, e.toString());
        }
    }
}
