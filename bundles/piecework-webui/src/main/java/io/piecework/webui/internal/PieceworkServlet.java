package io.piecework.webui.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.compare.Comparison;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Transmission RPC has no field for, for the web UI's Piecework view:
 * {@code GET /piecework/engine} (the strategy in use, those available, each torrent's lock and
 * request-update figures) and {@code POST /piecework/strategy?name=N}, the same Config Admin
 * change as {@code piecework:strategy N}; {@code POST /piecework/compare?seconds=S} starts the
 * strategy comparison ({@link CompareRuns}) and {@code GET /piecework/compare} gives its state
 * and last results. Served in the RPC's access context (its whitelist, user and Host check); a POST
 * must carry {@code X-Piecework: 1}, a header a cross-site form cannot send (a cross-site
 * script cannot either without a CORS preflight, which is never granted).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/piecework/*")
@HttpWhiteboardContextSelect(WebUiServlet.ACCESS_CONTEXT)
public final class PieceworkServlet extends HttpServlet {
    static final String ENGINE_PID = "io.piecework.engine";
    static final String CSRF_HEADER = "X-Piecework";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PieceworkServlet.class);

    private final transient ConfigurationAdmin configurations;
    private final transient AtomicReference<TorrentEngine> engine = new AtomicReference<>();
    private final transient Map<RequestStrategy, String> strategies = new ConcurrentHashMap<>();
    private final transient AtomicReference<Comparison> comparison = new AtomicReference<>();
    private final transient CompareRuns compareRuns = new CompareRuns();

    @Activate
    public PieceworkServlet(@Reference ConfigurationAdmin configurations) {
        this.configurations = configurations;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(TorrentEngine bound) {
        engine.set(bound);
    }

    void unbindEngine(TorrentEngine gone) {
        engine.compareAndSet(gone, null);
    }

    @Deactivate
    void deactivate() {
        compareRuns.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindComparison(Comparison bound) {
        comparison.set(bound);
    }

    void unbindComparison(Comparison gone) {
        comparison.compareAndSet(gone, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindStrategy(RequestStrategy strategy, Map<String, Object> props) {
        strategies.put(strategy, String.valueOf(props.get(RequestStrategy.NAME_PROPERTY)));
    }

    void unbindStrategy(RequestStrategy strategy) {
        strategies.remove(strategy);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("/compare".equals(req.getPathInfo())) {
            send(resp, 200, compareRuns.state());
            return;
        }
        if (!"/engine".equals(req.getPathInfo())) {
            error(resp, 404, "no such resource: GET /piecework/engine or /piecework/compare");
            return;
        }
        TorrentEngine e = engine.get();
        JsonObject out = new JsonObject();
        out.addProperty("strategy", e == null ? "" : e.strategy().orElse(""));
        JsonArray available = new JsonArray();
        new TreeSet<>(strategies.values()).forEach(available::add);
        out.add("available", available);
        JsonArray torrents = new JsonArray();
        if (e != null) {
            for (TorrentHandle h : e.torrents()) {
                torrents.add(figures(h.stats()));
            }
        }
        out.add("torrents", torrents);
        send(resp, 200, out);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"1".equals(req.getHeader(CSRF_HEADER))) {
            error(resp, 403, "a change needs the header " + CSRF_HEADER + ": 1");
            return;
        }
        if ("/compare".equals(req.getPathInfo())) {
            startComparison(req, resp);
            return;
        }
        String name = req.getParameter("name");
        if (!"/strategy".equals(req.getPathInfo()) || name == null) {
            error(resp, 404, "no such resource: POST /piecework/strategy?name=N");
            return;
        }
        if (!strategies.containsValue(name)) {
            error(resp, 400, "no strategy '" + name.replaceAll("[^A-Za-z0-9._-]", "?") + "'; available: "
                    + String.join(" ", new TreeSet<>(strategies.values())));
            return;
        }
        // As piecework:strategy: the engine's reference target, its other properties kept.
        Configuration c = configurations.getConfiguration(ENGINE_PID, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        props.put("strategy.target", "(" + RequestStrategy.NAME_PROPERTY + "=" + name + ")");
        c.update(props);
        LOG.info("web UI: strategy.target set to (strategy.name={})", name);
        JsonObject out = new JsonObject();
        out.addProperty("requested", name);
        send(resp, 200, out);
    }

    private void startComparison(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Comparison c = comparison.get();
        if (c == null) {
            error(resp, 503, "the comparison (piecework-compare) is not installed");
            return;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(String.valueOf(req.getParameter("seconds")));
            if (!compareRuns.start(c, seconds)) {
                error(resp, 409, "a comparison is running already");
                return;
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            error(resp, 400, "seconds must be one of " + CompareRuns.SECONDS);
            return;
        }
        send(resp, 202, compareRuns.state());
    }

    private static JsonObject figures(TorrentStats s) {
        JsonObject t = new JsonObject();
        t.addProperty("hashString", s.infoHash().hex());
        t.addProperty("lockAcquisitions", s.lockAcquisitions());
        t.addProperty("lockHandoffs", s.lockHandoffs());
        t.addProperty("lockWaitNanos", s.lockWaitNanos());
        t.addProperty("lockHoldNanos", s.lockHoldNanos());
        t.addProperty("lockWaitP50Nanos", s.lockWaitP50Nanos());
        t.addProperty("lockWaitP99Nanos", s.lockWaitP99Nanos());
        t.addProperty("lockHoldP50Nanos", s.lockHoldP50Nanos());
        t.addProperty("lockHoldP99Nanos", s.lockHoldP99Nanos());
        t.addProperty("requestUpdates", s.requestUpdates());
        t.addProperty("requestUpdateNanos", s.requestUpdateNanos());
        t.addProperty("hashFailures", s.hashFailures());
        t.addProperty("bannedPeers", s.bannedPeers());
        return t;
    }

    private static void error(HttpServletResponse resp, int status, String message) throws IOException {
        JsonObject out = new JsonObject();
        out.addProperty("error", message);
        send(resp, status, out);
    }

    private static void send(HttpServletResponse resp, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json; charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
