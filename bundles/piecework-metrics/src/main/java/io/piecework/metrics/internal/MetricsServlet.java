package io.piecework.metrics.internal;

import io.piecework.api.engine.TorrentEngine;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /metrics} in the Prometheus text format (version 0.0.4) on the Servlet Whiteboard,
 * the same Felix HTTP server as the Transmission RPC: the engine's figures
 * ({@link EngineCollector}) and the JVM's (the client's {@link JvmMetrics}), in a registry of
 * this component's own (never the client's static default registry). It is served in the
 * Transmission RPC's access context ({@code piecework}), so the RPC's address whitelist, user
 * and Host check guard it; without the RPC bundle it is not served at all.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
// The Transmission RPC's access context: its address whitelist, user and Host check guard /metrics.
@HttpWhiteboardContextSelect(MetricsServlet.ACCESS_CONTEXT)
public final class MetricsServlet extends HttpServlet {
    static final String PATH = "/metrics";
    /** The RPC bundle's ServletContextHelper, whose handleSecurity checks every request. */
    static final String ACCESS_CONTEXT = "(osgi.http.whiteboard.context.name=piecework)";
    static final int MAX_TORRENTS = 1000;
    private static final long serialVersionUID = 1L;

    private final transient AtomicReference<TorrentEngine> engine = new AtomicReference<>();
    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder().build();

    @Activate
    public MetricsServlet() {
        registry.register(new EngineCollector(engine::get, MAX_TORRENTS));
        JvmMetrics.builder().register(registry);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(TorrentEngine bound) {
        engine.set(bound);
    }

    void unbindEngine(TorrentEngine gone) {
        engine.compareAndSet(gone, null);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Address, user and Host were checked by the access context (a GET changes nothing: no CSRF check).
        // Rendered whole before sending, so a failure is a 500 and never a truncated scrape.
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        writer.write(body, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        resp.setContentType(writer.getContentType());
        resp.setContentLength(body.size());
        body.writeTo(resp.getOutputStream());
    }
}
