package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageProvider;
import io.piecework.api.storage.TorrentStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Torrent data in files. Owns what its torrents share: the bounded set of open files, the
 * hashing pool, one scheduler (resume-file write-back, idle file closing) and one I/O thread
 * for opening, moving and removing. Deactivation closes every torrent, saving its completion.
 */
@Component(service = StorageProvider.class, property = StorageProvider.NAME_PROPERTY + "=file")
@Designate(ocd = FileStorageProvider.Config.class)
public final class FileStorageProvider implements StorageProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FileStorageProvider.class);

    @ObjectClassDefinition(name = "Piecework file storage", description = "Torrent data in files on disk")
    public @interface Config {
        @AttributeDefinition(description = "Most files kept open at once, across all torrents")
        int maxOpenFiles() default 256;

        @AttributeDefinition(description = "Write zeros to give files their full size (true) or leave them sparse (false)")
        boolean preallocate() default false;

        @AttributeDefinition(description = "Threads hashing pieces; 0 uses half the processors")
        int hashThreads() default 0;

        @AttributeDefinition(description = "Folder for resume files; empty uses $XDG_STATE_HOME/piecework/resume"
                + " (default ~/.local/state/piecework/resume)")
        String stateDir() default "";

        @AttributeDefinition(description = "Longest delay in milliseconds before a verified piece is saved")
        long saveDelayMillis() default 1000;

        @AttributeDefinition(description = "Files unused this many milliseconds are closed")
        long idleCloseMillis() default 60_000;
    }

    /** Read at each use; @Modified replaces it (all but the state folder apply at once). */
    private volatile Settings settings;
    private ScheduledFuture<?> idleClose;
    private final FileHandles handles;
    private final Hashing hashing;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService io;
    /** Where resume files go: the configured folder, else the per-user one. */
    private final Path stateDir;
    /**
     * Open storages by what they write: one torrent may be open in several download folders
     * (two engines in one framework, each with its own copy, and its own resume file) but never
     * twice in the same one.
     */
    private final ConcurrentMap<Key, FileStorage> open = new ConcurrentHashMap<>();

    private record Key(InfoHash infoHash, Path downloadDir) {
    }

    @Activate
    public FileStorageProvider(Config config) {
        this(settingsOf(config), Disk.REAL);
    }

    private static Settings settingsOf(Config config) {
        return new Settings(config.maxOpenFiles(), config.preallocate(), config.hashThreads(),
                config.stateDir().isBlank() ? null : Path.of(config.stateDir()),
                config.saveDelayMillis(), config.idleCloseMillis(), Settings.DEFAULTS.racyMillis());
    }

    /**
     * A configuration change applies to the running storages instead of restarting the
     * component (which would fail every running torrent): the open-file limit, preallocation of
     * new files, the hashing threads, the save delay and the idle close. The state folder stays
     * until restart, since open torrents keep their resume files where they are.
     */
    @Modified
    void modified(Config config) {
        apply(settingsOf(config));
    }

    void apply(Settings next) {
        Settings previous = settings;
        if (!java.util.Objects.equals(previous.stateDir(), next.stateDir())) {
            LOG.warn("storage: the state folder changes to {} at the next start; resume files stay in {} until then",
                    next.stateDir(), stateDir);
        }
        settings = next.withStateDir(previous.stateDir());
        handles.reconfigure(next.maxOpenFiles(), !next.preallocate());
        hashing.threads(next.hashThreads());
        if (next.idleCloseMillis() != previous.idleCloseMillis()) {
            scheduleIdleClose(next.idleCloseMillis());
        }
    }

    private synchronized void scheduleIdleClose(long millis) {
        if (idleClose != null) {
            idleClose.cancel(false);
        }
        long idle = Math.max(1, millis);
        idleClose = scheduler.scheduleWithFixedDelay(() -> handles.closeIdle(TimeUnit.MILLISECONDS.toNanos(idle)),
                idle, idle, TimeUnit.MILLISECONDS);
    }

    /** For tests and benchmarks outside OSGi. */
    public FileStorageProvider(Settings settings) {
        this(settings, Disk.REAL);
    }

    FileStorageProvider(Settings settings, Disk disk) {
        this.settings = settings;
        this.stateDir = settings.stateDir() != null ? settings.stateDir() : StateLocation.defaultDir();
        this.handles = new FileHandles(disk, settings.maxOpenFiles(), !settings.preallocate());
        this.hashing = new Hashing(settings.hashThreads(), "piecework-hash");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "piecework-storage-timer"));
        this.io = Executors.newSingleThreadExecutor(task -> daemon(task, "piecework-storage-io"));
        scheduleIdleClose(settings.idleCloseMillis());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public CompletableFuture<TorrentStorage> open(TorrentMetainfo metainfo, Path downloadDir) {
        FileLayout layout;
        try {
            layout = FileLayout.of(metainfo, downloadDir);
            StateLocation.refuseInside(layout, stateDir);
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(e);
        }
        FileStorage storage = new FileStorage(this, layout, hashing);
        // Keyed like its resume file: two spellings of one folder (a link and its target) are one.
        if (open.putIfAbsent(new Key(metainfo.infoHash(), StateLocation.real(layout.downloadDir())), storage) != null) {
            return CompletableFuture.failedFuture(new StorageException(StorageException.Kind.UNAVAILABLE,
                    metainfo + " is already open"));
        }
        CompletableFuture<TorrentStorage> started;
        try {
            started = storage.start();
        } catch (RejectedExecutionException e) {
            // Closed meanwhile (the framework stopping on SIGTERM): a refusal, not an internal error.
            storage.abandon();
            return CompletableFuture.failedFuture(new StorageException(StorageException.Kind.UNAVAILABLE,
                    metainfo + ": storage is closed"));
        }
        return started.whenComplete((s, failure) -> {
            if (failure != null) {
                storage.abandon();
            }
        });
    }

    @Deactivate
    public void close() {
        for (FileStorage storage : new ArrayList<>(open.values())) {
            storage.close();
        }
        scheduler.shutdownNow();
        io.shutdown();
        hashing.close();
        handles.closeAll();
    }

    void forget(FileStorage storage) {
        open.values().remove(storage);
    }

    Path stateDir() {
        return stateDir;
    }

    Settings settings() {
        return settings;
    }

    FileHandles handles() {
        return handles;
    }

    Hashing hashing() {
        return hashing;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService io() {
        return io;
    }
}
