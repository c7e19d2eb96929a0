package io.piecework.webui.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The web UI's three files at {@code /} on the Servlet Whiteboard, the same Felix HTTP server
 * as the Transmission RPC, which the page calls for everything it shows and does. The files are
 * served in the RPC's access context, so they need the RPC's user and pass its address and Host
 * checks as the data does (the RPC's session id guards its changes). Only the listed files are served,
 * read once from the bundle; a Content-Security-Policy allows scripts from this origin only,
 * so even a name that reached the page as markup could not run.
 */
@Component(service = Servlet.class)
// "/" is the default servlet: longer patterns (/transmission/rpc, /metrics) still win.
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardContextSelect(WebUiServlet.ACCESS_CONTEXT)
public final class WebUiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /**
     * The Transmission RPC bundle's ServletContextHelper: its handleSecurity runs the RPC's
     * address whitelist, user and Host check before any of this bundle's servlets sees a request.
     */
    static final String ACCESS_CONTEXT = "(osgi.http.whiteboard.context.name=piecework)";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "app.js", "text/javascript; charset=UTF-8",
            "rpc.js", "text/javascript; charset=UTF-8",
            "charts.js", "text/javascript; charset=UTF-8",
            "details.js", "text/javascript; charset=UTF-8",
            "settings.js", "text/javascript; charset=UTF-8",
            "style.css", "text/css; charset=UTF-8");

    private final transient Map<String, byte[]> files;

    public WebUiServlet() {
        files = Map.copyOf(TYPES.keySet().stream().collect(java.util.stream.Collectors.toMap(n -> n, WebUiServlet::read)));
    }

    private static byte[] read(String name) {
        try (InputStream in = WebUiServlet.class.getResourceAsStream("/webui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks webui/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        String name = path.isEmpty() || path.equals("/") ? "index.html" : path.substring(1);
        byte[] body = files.get(name);
        if (body == null) {
            resp.sendError(404, "No such page");
            return;
        }
        resp.setContentType(TYPES.get(name));
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
