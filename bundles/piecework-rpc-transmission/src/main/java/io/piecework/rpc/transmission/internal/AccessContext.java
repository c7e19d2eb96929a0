package io.piecework.rpc.transmission.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one access check of Piecework's HTTP server: an HTTP Whiteboard context ({@value #NAME},
 * at {@code /}) whose {@link #handleSecurity} runs the RPC's {@link Gate#admit} (client
 * address, HTTP Basic user, Host header against DNS rebinding) before any servlet or resource
 * of the context sees a request. The RPC, {@code /metrics} and the web UI select it with
 * {@value #SELECT}; each keeps only its own check against cross-site requests (the RPC's
 * session id, the web UI's {@code X-Piecework} header). A servlet that selects it is not
 * served at all while it is missing, so nothing is ever served unchecked.
 *
 * <p>Bundle scope, as the Whiteboard specification advises: each bundle's servlets and
 * resources get an instance whose {@link #getResource} reads that bundle.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE,
        configurationPid = TransmissionRpcServlet.PID)
@HttpWhiteboardContext(name = AccessContext.NAME, path = "/")
public final class AccessContext extends ServletContextHelper {
    /** The context's name. */
    public static final String NAME = "piecework";
    /** The filter a servlet, filter or resource selects the context with. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    private static final Logger LOG = LoggerFactory.getLogger(AccessContext.class);

    private volatile Gate gate;

    @Activate
    public AccessContext(ComponentContext context, RpcConfig config) {
        this(context.getUsingBundle(), config);
    }

    AccessContext(Bundle using, RpcConfig config) {
        super(using);
        modified(config);
    }

    /** Applies to the next request. */
    @Modified
    void modified(RpcConfig config) {
        gate = Gate.of(config, "");
        if (config.username().isEmpty() && !config.whitelist_enabled()) {
            LOG.warn("Piecework's HTTP server: no user and no address whitelist: anyone who reaches the port controls Piecework");
        }
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Gate.Refusal refusal = gate.admit(request.getRemoteAddr(), request.getHeader("Authorization"),
                request.getHeader("Host"));
        if (refusal == null) {
            if (!gate.username().isEmpty()) {
                request.setAttribute(REMOTE_USER, gate.username());
                request.setAttribute(AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
            }
            return true;
        }
        if (request.getContentLengthLong() != 0) {
            // Its body stays unread (an outsider's), so Jetty closes the connection: say so, or
            // a client that pooled it sends its next request into the closed socket.
            response.setHeader("Connection", "close");
        }
        refuse(response, refusal);
        return false;
    }

    /** A refusal as an HTML page (Transmission's way; remotes show its text). */
    static void refuse(HttpServletResponse resp, Gate.Refusal refusal) throws IOException {
        resp.setStatus(refusal.status());
        if (refusal.header() != null) {
            resp.setHeader(refusal.header(), refusal.headerValue());
        }
        resp.setContentType("text/html; charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        String html = "<html><head><title>" + refusal.status() + "</title></head><body><h1>" + refusal.status()
                + "</h1><p>" + refusal.message().replace("&", "&amp;").replace("<", "&lt;") + "</p></body></html>";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
