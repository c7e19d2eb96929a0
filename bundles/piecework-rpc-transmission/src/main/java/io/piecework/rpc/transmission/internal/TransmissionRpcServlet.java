package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentQueue;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.storage.StateFolder;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Transmission's RPC at {@code /transmission/rpc} on the Servlet Whiteboard (Felix HTTP; its
 * port and address are Felix HTTP's configuration, 127.0.0.1:9091 in the distribution). Every
 * request passes the {@link AccessContext}'s checks (address, user, Host), then the session id
 * handshake ({@link Gate#session}) and a size limit before its JSON is read.
 */
@Component(service = Servlet.class, configurationPid = TransmissionRpcServlet.PID)
@HttpWhiteboardContextSelect(AccessContext.SELECT)
// transmission-remote posts to /transmission/rpc/ (trailing slash): both, as Transmission serves.
@HttpWhiteboardServletPattern({TransmissionRpcServlet.PATH, TransmissionRpcServlet.PATH_BELOW})
@Designate(ocd = RpcConfig.class)
public final class TransmissionRpcServlet extends HttpServlet {
    static final String PID = "io.piecework.rpc.transmission";
    static final String PATH = "/transmission/rpc";
    static final String PATH_BELOW = PATH + "/*";
    private static final long serialVersionUID = 1L;

    /** Bodies above this size (or of unknown size) take one of the LARGE_BODIES permits. */
    static final long LARGE_BODY_BYTES = 1 << 20;
    static final int LARGE_BODIES = 2;
    /** A refused request's body up to this size is read and dropped, so its connection stays usable. */
    static final long DRAINED_BYTES = 64 * 1024;
    private static final long LARGE_BODY_WAIT_SECONDS = 5;

    private final transient Semaphore largeBodies = new Semaphore(LARGE_BODIES);
    private final transient RpcDispatcher dispatcher;
    private final transient SessionMethods sessionMethods;
    private final transient SessionSettings settings = new SessionSettings(Path.of("."));
    private final String sessionId;
    private volatile transient Gate gate;
    private volatile long maxRequestBytes;
    /**
     * Dynamic and optional: when the engine restarts (a configuration change), the servlet,
     * its session id and the torrents' ids stay; requests meanwhile get an error result.
     */
    private final transient AtomicReference<TorrentEngine> engine = new AtomicReference<>();
    /** Where session-set's rate limits go (the engine's configuration); optional, so the RPC runs without it. */
    private final transient AtomicReference<ConfigurationAdmin> configurations = new AtomicReference<>();

    @Activate
    public TransmissionRpcServlet(@Reference MetainfoService metainfo, RpcConfig config) {
        byte[] random = new byte[36];
        new SecureRandom().nextBytes(random);
        this.sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TorrentBook book = new TorrentBook(Clock.systemUTC());
        EngineRef engine = () -> {
            TorrentEngine bound = this.engine.get();
            if (bound == null) {
                throw EngineRef.notRunning();
            }
            return bound;
        };
        Ids ids = new Ids(engine, book);
        QueueMethods queueMethods = new QueueMethods(ids, queue::get);
        this.sessionMethods = new SessionMethods(engine, ids, book, settings, sessionId,
                new ConfigAdminLimits(configurations::get), queueMethods);
        this.dispatcher = new RpcDispatcher(new TorrentAdd(engine, metainfo, book, settings, queue::get),
                new TorrentMethods(ids, new TorrentFields(metainfo, queue::get), book, queueMethods),
                sessionMethods, queueMethods);
        modified(config);
    }

    /** The persistent session's queue: absent without a session, and then torrents start as asked. */
    private final transient AtomicReference<TorrentQueue> queue = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindQueue(TorrentQueue bound) {
        queue.set(bound);
        // A persistent session runs (the daemon, the shell): session-set changes outlive the process too.
        sessionMethods.keepIn(new KeptSessionSettings(StateFolder.base().resolve("rpc").resolve("session-set.json")));
    }

    void unbindQueue(TorrentQueue gone) {
        queue.compareAndSet(gone, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(TorrentEngine bound) {
        engine.set(bound);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigurations(ConfigurationAdmin bound) {
        configurations.set(bound);
    }

    void unbindConfigurations(ConfigurationAdmin gone) {
        configurations.compareAndSet(gone, null);
    }

    /** SCR binds a replacement before it unbinds the old engine: only the old one is cleared. */
    void unbindEngine(TorrentEngine gone) {
        engine.compareAndSet(gone, null);
    }

    boolean engineBound() {
        return engine.get() != null;
    }

    /** Security settings and the default folder apply to the next request; ids and the session id stay. */
    @Modified
    void modified(RpcConfig config) {
        String dir = config.download_dir().isBlank()
                ? Path.of(System.getProperty("user.home"), "Downloads").toString() : config.download_dir();
        settings.downloadDir = Path.of(dir).toAbsolutePath().normalize();
        gate = Gate.of(config, sessionId);
        maxRequestBytes = config.max_request_bytes();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Transmission answers a GET with the session id too; clients use it to start the handshake.
        // (Address, user and Host were checked by the AccessContext.)
        refuse(resp, gate.session(null));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Gate.Refusal refusal = gate.session(req.getHeader(Gate.SESSION_HEADER));
        long declared = req.getContentLengthLong();
        if (refusal != null) {
            // Every client's first request is refused for its session id: keep its connection.
            refuseUnread(req, resp, declared <= DRAINED_BYTES ? declared : -1, refusal);
            return;
        }
        long limit = maxRequestBytes;
        if (declared > limit) {
            refuseUnread(req, resp, -1, tooLarge(limit));
            return;
        }
        // A large body (a .torrent in base64) costs several times its size while it is handled:
        // only LARGE_BODIES of them at once, so concurrent uploads cannot exhaust the heap.
        boolean large = declared < 0 || declared > LARGE_BODY_BYTES;
        if (large && !acquireLargeBody()) {
            refuseUnread(req, resp, -1, new Gate.Refusal(503, "Retry-After", "5",
                    "Busy with other large requests: try again"));
            return;
        }
        String answer;
        try {
            byte[] body;
            try (InputStream in = req.getInputStream()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            }
            if (body.length > limit) {
                refuse(resp, tooLarge(limit));
                return;
            }
            answer = dispatcher.handle(new String(body, StandardCharsets.UTF_8));
        } finally {
            if (large) {
                largeBodies.release();
            }
        }
        resp.setStatus(200);
        resp.setHeader(Gate.SESSION_HEADER, sessionId);
        resp.setContentType("application/json; charset=UTF-8");
        resp.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** Large-body permits not taken now (for tests that must know the stalled requests hold theirs). */
    int largeBodiesFree() {
        return largeBodies.availablePermits();
    }

    private boolean acquireLargeBody() {
        try {
            return largeBodies.tryAcquire(LARGE_BODY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Gate.Refusal tooLarge(long limit) {
        return new Gate.Refusal(413, null, null, "Request larger than " + limit
                + " bytes (max.request.bytes of " + PID + ")");
    }

    /**
     * A refusal before the body is read. Jetty closes a connection whose request body was left
     * unread, and a client that pooled it sends its next request into the closed socket ("header
     * parser received no bytes"; a POST is not retried). So {@code drain} bytes (a small body,
     * for the session-id handshake every client starts with) are read and dropped and the
     * connection kept; with {@code drain} negative nothing is read and the answer says the
     * connection closes.
     */
    private static void refuseUnread(HttpServletRequest req, HttpServletResponse resp, long drain,
                                     Gate.Refusal refusal) throws IOException {
        if (drain >= 0) {
            try (InputStream in = req.getInputStream()) {
                in.skipNBytes(drain);
            } catch (java.io.EOFException e) {
                resp.setHeader("Connection", "close"); // it sent less than it said
            }
        } else {
            resp.setHeader("Connection", "close");
        }
        refuse(resp, refusal);
    }

    private static void refuse(HttpServletResponse resp, Gate.Refusal refusal) throws IOException {
        AccessContext.refuse(resp, refusal);
    }
}
