package io.piecework.watch.internal;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.MetainfoService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch folder, on FileInstall: this component asks FileInstall (a factory configuration of
 * {@code org.apache.felix.fileinstall}) to watch the folder for {@code *.torrent}, and as its
 * {@link ArtifactInstaller} is handed each file that appears there; {@link WatchFolder} adds it.
 * No poller of our own. A change of folder replaces FileInstall's watcher; the other settings
 * apply to the next file.
 */
@Component(service = ArtifactInstaller.class, configurationPid = WatchComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WatchComponent.Config.class)
public final class WatchComponent implements ArtifactInstaller {
    static final String PID = "io.piecework.watch";
    static final String FILEINSTALL_FACTORY = "org.apache.felix.fileinstall";
    private static final Logger LOG = LoggerFactory.getLogger(WatchComponent.class);

    @ObjectClassDefinition(name = "Piecework watch folder",
            description = "A .torrent dropped into the folder is added, then renamed to .added (or moved, or deleted);"
                    + " one that cannot be read is renamed to .invalid")
    public @interface Config {
        @AttributeDefinition(description = "The folder to watch; empty: none")
        String dir() default "";

        @AttributeDefinition(description = "Where the added torrents' data goes; empty: ~/Downloads")
        String download_dir() default "";

        @AttributeDefinition(description = "Add them stopped")
        boolean paused() default false;

        @AttributeDefinition(description = "What becomes of an added .torrent: rename (to .added), move (to"
                + " moved.dir) or delete")
        String after() default "rename";

        @AttributeDefinition(description = "Where after=move puts them; empty: an 'added' folder in the watched one")
        String moved_dir() default "";

        @AttributeDefinition(description = "Milliseconds between FileInstall's looks at the folder", min = "100")
        long poll_ms() default 1000;
    }

    private final ConfigurationAdmin configurationAdmin;
    private final WatchFolder folder;
    /** FileInstall's watcher of the folder; null while none is watched. */
    private Configuration watcher;
    private final AtomicReference<TorrentQueue> queue = new AtomicReference<>();

    @Activate
    public WatchComponent(@Reference TorrentEngine engine, @Reference MetainfoService metainfo,
                          @Reference ConfigurationAdmin configurationAdmin, Config config) {
        this.configurationAdmin = configurationAdmin;
        this.folder = new WatchFolder(engine, metainfo, queue::get, settings(config));
        watch(config);
    }

    /** The session's queue, when the session runs: added torrents start through it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindQueue(TorrentQueue bound) {
        queue.set(bound);
    }

    void unbindQueue(TorrentQueue gone) {
        queue.compareAndSet(gone, null);
    }

    static WatchFolder.Settings settings(Config c) {
        Path dir = path(c.dir(), null);
        Path downloads = path(c.download_dir(), Path.of(System.getProperty("user.home"), "Downloads"));
        WatchFolder.After after;
        try {
            after = WatchFolder.After.valueOf(c.after().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.error("watch: after={} is not rename, move or delete; renaming", c.after());
            after = WatchFolder.After.RENAME;
        }
        Path moved = path(c.moved_dir(), dir == null ? null : dir.resolve("added"));
        return new WatchFolder.Settings(dir, downloads, c.paused(), after, moved);
    }

    private static Path path(String text, Path otherwise) {
        if (text.isBlank()) {
            return otherwise;
        }
        try {
            return Path.of(text.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            LOG.error("watch: '{}' is not a path", text);
            return otherwise;
        }
    }

    @Modified
    void modified(Config config) {
        WatchFolder.Settings before = folder.settings();
        WatchFolder.Settings next = settings(config);
        folder.settings(next);
        if (next.folder() == null ? before.folder() != null : !next.folder().equals(before.folder())) {
            unwatch();
            watch(config);
        }
    }

    /** A FileInstall watcher for the folder, filtering .torrent files; they come to {@link #install}. */
    private synchronized void watch(Config config) {
        Path dir = folder.settings().folder();
        if (dir == null) {
            LOG.info("watch: no folder configured (dir=)");
            return;
        }
        try {
            Files.createDirectories(dir);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("felix.fileinstall.dir", dir.toString());
            props.put("felix.fileinstall.filter", ".*\\.torrent");
            props.put("felix.fileinstall.poll", String.valueOf(Math.max(100, config.poll_ms())));
            props.put("felix.fileinstall.noInitialDelay", "true");
            props.put("felix.fileinstall.log.level", "1");
            // Named: the same watcher again after a restart with kept framework storage, not a second one.
            watcher = configurationAdmin.getFactoryConfiguration(FILEINSTALL_FACTORY, "piecework-watch", "?");
            watcher.update(props);
            LOG.info("watch: watching {} for .torrent files", dir);
        } catch (IOException | RuntimeException e) {
            LOG.error("watch: cannot watch {}: {}", dir, e.toString());
        }
    }

    private synchronized void unwatch() {
        if (watcher != null) {
            try {
                watcher.delete();
            } catch (IOException | IllegalStateException e) {
                LOG.debug("watch: removing FileInstall's watcher: {}", e.toString());
            }
            watcher = null;
        }
    }

    @Deactivate
    void deactivate() {
        unwatch();
    }

    @Override
    public boolean canHandle(File artifact) {
        return folder.settings().folder() != null && folder.handles(artifact.toPath());
    }

    @Override
    public void install(File artifact) {
        folder.take(artifact.toPath());
    }

    /** The same name dropped again (FileInstall saw it change): taken as a new file. */
    @Override
    public void update(File artifact) {
        if (artifact.exists()) {
            folder.take(artifact.toPath());
        }
    }

    /** Gone from the folder (renamed or moved by us, or by someone): the torrent stays. */
    @Override
    public void uninstall(File artifact) {
        // Nothing: a torrent is removed through a client, not by taking its file away.
    }
}
