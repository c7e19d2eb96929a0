package io.piecework.session.internal;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentListener;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.storage.StateFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
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
            description = "The torrents, their folders and started/stopped state, kept across restarts")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the session file and the saved .torrent files; empty uses"
                + " $XDG_STATE_HOME/piecework/session (default ~/.local/state/piecework/session). A change saves the"
                + " session into the new folder (replacing one there) and uses it from then on")
        String state_dir() default "";

        @AttributeDefinition(description = "Milliseconds from a change to the save that records it; changes"
                + " within that time are saved together")
        long save_delay_ms() default 500;
    }

    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "piecework-session");
        t.setDaemon(true);
        return t;
    });
    private final Session session;
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
        session = new Session(engine, metainfo, store);
        listening = context.registerService(TorrentListener.class, this::onEvent, null);
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

    @Modified
    void modified(Config config) {
        saveDelayMillis = Math.max(0, config.save_delay_ms());
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
