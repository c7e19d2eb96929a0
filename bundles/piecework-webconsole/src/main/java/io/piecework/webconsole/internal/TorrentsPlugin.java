package io.piecework.webconsole.internal;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentStats;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The torrent table as a Felix Web Console page ({@code /system/console/piecework}) for people
 * who run the Web Console in their Felix: a plain Servlet service with the console's plugin
 * properties (Web Console 5 wraps its output in the console's page and applies the console's
 * own authentication), so this bundle needs no Web Console API and resolves without it. Nothing
 * registers it on the HTTP Whiteboard (no pattern property): only the console serves it.
 * Read-only; names and errors are escaped ({@link Html}).
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + TorrentsPlugin.LABEL,
        "felix.webconsole.title=Piecework torrents",
        "felix.webconsole.category=Piecework"})
public final class TorrentsPlugin extends HttpServlet {
    static final String LABEL = "piecework";
    private static final long serialVersionUID = 1L;

    private final transient AtomicReference<TorrentEngine> engine = new AtomicReference<>();

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
        resp.setContentType("text/html; charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(render(engine.get()));
    }

    /** The page's content: the engine's strategy and one row per torrent. */
    static String render(TorrentEngine e) {
        if (e == null) {
            return "<p class=\"statline\">No Piecework engine is running.</p>";
        }
        List<TorrentStats> torrents = new ArrayList<>();
        for (TorrentHandle h : e.torrents()) {
            torrents.add(h.stats());
        }
        String strategy = e.strategy().orElse("");
        StringBuilder out = new StringBuilder(256 + 256 * torrents.size());
        out.append("<p class=\"statline\">").append(torrents.size()).append(torrents.size() == 1 ? " torrent" : " torrents")
                .append(", request strategy ").append(Html.text(strategy.isEmpty() ? "(none)" : strategy)).append("</p>\n");
        out.append("<table class=\"tablelayout nicetable\" id=\"piecework-torrents\">\n<thead><tr>");
        for (String h : new String[] {"Name", "Size", "Progress", "State", "Down", "Up", "Peers", "Strategy"}) {
            out.append("<th scope=\"col\">").append(h).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (TorrentStats t : torrents) {
            out.append("<tr><td><bdi>").append(Html.text(t.name())).append("</bdi>")
                    .append(t.error().map(m -> "<br><small>" + Html.text(m) + "</small>").orElse(""))
                    // A magnet without its metadata yet has no size: not "0 B, 100%".
                    .append("</td><td>").append(t.pieces() == 0 ? "?" : Html.bytes(t.wantedBytes()))
                    .append("</td><td>").append(t.pieces() == 0 ? "metadata pending"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * t.progress()))
                    .append("</td><td>").append(t.state().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(Html.bytes(t.downloadRate())).append("/s")
                    .append("</td><td>").append(Html.bytes(t.uploadRate())).append("/s")
                    .append("</td><td>").append(t.peers())
                    .append("</td><td>").append(Html.text(strategy))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody>\n</table>\n").toString();
    }
}
