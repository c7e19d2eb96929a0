package io.piecework.session.internal;

import io.piecework.api.engine.QueueLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentListener;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.storage.StateFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * The persistent session: on activation restores the saved torrents into the engine; then,
 * with a {@link TorrentListener} on the engine's whiteboard, hears every torrent added, removed,
 * started or stopped by any client (the shell, an RPC, this restore) and saves the session on
 * its own thread, a burst of changes coalesced into one write. Only active when configured
 * ({@value #PID}): the daemon and the shell ship a configuration; one-shot subcommands
 * ({@code get}, {@code seed}) and tests do not, so they neither restore nor record anything.
 * Deactivated before the engine it references, it saves the torrents as they ran, not as the
 * engine's own shutdown leaves them (all stopped).
 *
 * <p>The listener is registered by hand once active, not as this component's DS service: the
 * engine binds every listener and this component needs the engine, so as a DS service the two
 * form a cycle that SCR may break by never binding the listener (it depends on which activates
 * first), and the session would silently save nothing.
 */
@Component(service = {}, immediate = true, configurationPid = SessionComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SessionComponent.Config.class)
public final class SessionComponent {
    static final String PID = "io.piecework.session";
    private static final Logger LOG = LoggerFactory.getLogger(SessionComponent.class);
    private static final long FINAL_SAVE_SECONDS = 10;

    @ObjectClassDefinition(name = "Piecework session",
            description = "The torrents, their folders, started/stopped state, queue order and seeding limits, kept"
                    + " across restarts; the queue's limits")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the session file and the saved .torrent files; empty uses"
                + " $XDG_STATE_HOME/piecework/session (default ~/.local/state/piecework/session). A change saves the"
                + " session into the new folder (replacing one there) and uses it from then on")
        String state_dir() default "";

        @AttributeDefinition(description = "Milliseconds from a change to the save that records it; changes"
                + " within that time are saved together")
        long save_delay_ms() default 500;

        @AttributeDefinition(description = "Whether at most download.queue.size torrents download at once; the rest"
                + " wait in queue order")
        boolean download_queue_enabled() default true;

        @AttributeDefinition(description = "Torrents downloading at once (with download.queue.enabled)", min = "0")
        int download_queue_size() default 5;

        @AttributeDefinition(description = "Whether at most seed.queue.size torrents seed at once")
        boolean seed_queue_enabled() default false;

        @AttributeDefinition(description = "Torrents seeding at once (with seed.queue.enabled)", min = "0")
        int seed_queue_size() default 10;

        @AttributeDefinition(description = "Whether seeding stops at seed.ratio.limit (uploaded / downloaded) for"
                + " torrents that follow the session's limits")
        boolean seed_ratio_limited() default false;

        @AttributeDefinition(description = "The ratio at which seeding stops (with seed.ratio.limited)", min = "0")
        double seed_ratio_limit() default 2.0;

        @AttributeDefinition(description = "Whether seeding stops after idle.seeding.limit minutes without uploading")
        boolean idle_seeding_limit_enabled() default false;

        @AttributeDefinition(description = "Minutes without uploading after which seeding stops", min = "0")
        int idle_seeding_limit() default 30;
    }

    /** How often seeding limits are checked (they depend on time and on bytes, not on events). */
    private static final long QUEUE_CHECK_SECONDS = 5;

    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "piecework-session");
        t.setDaemon(true);
        return t;
    });
    private final Session session;
    private final SessionQueue queue;
    private final ServiceRegistration<TorrentQueue> queueService;
    /** Where limits set by a client are kept (FileInstall writes them back to load/); optional. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long saveDelayMillis;
    private volatile boolean closed;
    /** Set when the restore failed as a whole: saving then could only lose the saved list. */
    private volatile boolean readOnly;
    private final ServiceRegistration<TorrentListener> listening;

    @Activate
    public SessionComponent(@Reference TorrentEngine engine, @Reference MetainfoService metainfo, Config config,
                            BundleContext context) throws IOException {
        saveDelayMillis = Math.max(0, config.save_delay_ms());
        SessionStore store;
        try {
            store = SessionStore.open(folder(config));
        } catch (IOException e) {
            LOG.error("session: {}", e.getMessage());
            saver.shutdownNow();
            throw e;
        }
        queue = new SessionQueue(engine, limits(config), this::run, System::currentTimeMillis, this::keep,
                this::requestSave);
        session = new Session(engine, metainfo, store, queue);
        listening = context.registerService(TorrentListener.class, this::onEvent, null);
        queueService = context.registerService(TorrentQueue.class, queue, null);
        saver.scheduleWithFixedDelay(() -> {
            try {
                queue.rebalance();
            } catch (RuntimeException e) {
                LOG.warn("session: checking the queue failed", e); // and runs again next time
            }
        }, QUEUE_CHECK_SECONDS, QUEUE_CHECK_SECONDS, TimeUnit.SECONDS);
        // Restored on the saving thread: saves asked for meanwhile queue behind it, so none can
        // record a list that is not complete yet.
        saver.execute(() -> {
            try {
                session.restore();
            } catch (RuntimeException e) {
                readOnly = true;
                LOG.error("session: restoring failed; the session file is left as it is and nothing is saved", e);
            }
        });
    }

    static Path folder(Config config) {
        String dir = config.state_dir().trim();
        return dir.isEmpty() ? StateFolder.base().resolve("session") : Path.of(dir).toAbsolutePath().normalize();
    }

    static QueueLimits limits(Config c) {
        return new QueueLimits(c.download_queue_enabled(), Math.max(0, c.download_queue_size()),
                c.seed_queue_enabled(), Math.max(0, c.seed_queue_size()), c.seed_ratio_limited(),
                Math.max(0, c.seed_ratio_limit()), c.idle_seeding_limit_enabled(), Math.max(0, c.idle_seeding_limit()));
    }

    /**
     * Limits a client set: into this component's configuration, which comes back through
     * {@link #modified}. They outlive the process only where Config Admin's store or FileInstall
     * (with {@code felix.fileinstall.enableConfigSave}) keeps them; the distribution's does neither.
     */
    private void keep(QueueLimits l) {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin == null) {
            LOG.warn("session: no Config Admin; the new queue limits hold until Piecework stops");
            return;
        }
        run(() -> {
            try {
                Configuration c = admin.getConfiguration(PID, "?");
                Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
                p.put("download.queue.enabled", l.downloadQueueEnabled());
                p.put("download.queue.size", l.downloadQueueSize());
                p.put("seed.queue.enabled", l.seedQueueEnabled());
                p.put("seed.queue.size", l.seedQueueSize());
                p.put("seed.ratio.limited", l.ratioLimited());
                p.put("seed.ratio.limit", l.ratioLimit());
                p.put("idle.seeding.limit.enabled", l.idleLimited());
                p.put("idle.seeding.limit", l.idleMinutes());
                c.updateIfDifferent(p);
            } catch (IOException | RuntimeException e) {
                LOG.error("session: could not keep the queue limits in the configuration: {}", e.toString());
            }
        });
    }

    @Modified
    void modified(Config config) {
        saveDelayMillis = Math.max(0, config.save_delay_ms());
        queue.apply(limits(config));
        Path folder = folder(config);
        if (!folder.equals(session.store().folder())) {
            run(() -> moveTo(folder));
        }
    }

    private void moveTo(Path folder) {
        try {
            SessionStore left = session.moveTo(SessionStore.open(folder));
            left.close();
            LOG.info("session: moved from {} to {}", left.folder(), folder);
            save();
        } catch (IOException e) {
            LOG.error("session: stays in {}: {}", session.store().folder(), e.getMessage());
        }
    }

    private void onEvent(TorrentEvent event) {
        if (!closed) {
            queue.onEvent(event);
        }
        switch (event.kind()) {
            case ADDED, REMOVED, STATE_CHANGED, ERROR, SETTINGS_CHANGED -> requestSave();
            default -> {
                // Pieces and completion change nothing the session keeps (the storage keeps those).
            }
        }
    }

    /** Called on engine threads: schedules at most one save at a time and returns. */
    private void requestSave() {
        if (closed || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            saver.schedule(() -> {
                pending.set(false); // before saving: a change during the save asks for the next one
                save();
            }, saveDelayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Deactivated meanwhile: the final save has it.
        }
    }

    private void save() {
        if (readOnly) {
            return;
        }
        try {
            session.save();
        } catch (IOException | RuntimeException e) {
            LOG.error("session: could not save to {} (the last saved list stays): {}", session.store().folder(),
                    e.toString());
        }
    }

    private void run(Runnable task) {
        try {
            saver.execute(task);
        } catch (RejectedExecutionException e) {
            // Deactivated meanwhile.
        }
    }

    /** Saves once more, with the torrents as they run, before the engine goes. */
    @Deactivate
    void deactivate() {
        closed = true;
        try {
            queueService.unregister();
        } catch (IllegalStateException e) {
            // Already gone with the bundle.
        }
        try {
            listening.unregister();
        } catch (IllegalStateException e) {
            // Already gone with the bundle.
        }
        try {
            saver.submit(this::save).get(FINAL_SAVE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("session: the final save did not finish: {}", e.toString());
        } finally {
            saver.shutdownNow();
            try {
                session.store().close();
            } catch (IOException e) {
                LOG.debug("session: releasing the lock: {}", e.toString());
            }
        }
    }
}
