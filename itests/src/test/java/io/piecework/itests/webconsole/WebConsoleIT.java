package io.piecework.itests.webconsole;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.Conditions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Felix Web Console (5.x, as a user would add it) with piecework-webconsole in Felix with
 * the distribution's bundles: the plugin page lists a torrent whose name holds markup, an
 * entity and a right-to-left override, escaped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebConsoleIT {
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(120);
    private static final String HOSTILE = "<script>alert(1)</script> &amp; \u202Egnp.exe";
    private static final String HASH = "89abcdef0123456789abcdef0123456789abcdef";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        Path load = Files.createTempDirectory("piecework-itest-load-");
        load.toFile().deleteOnExit();
        Path transport = load.resolve("io.piecework.wire.transport.cfg");
        Files.writeString(transport, "listen.address=127.0.0.1\nlisten.port=0\n");
        transport.toFile().deleteOnExit();
        Path dht = load.resolve("io.piecework.dht.cfg");
        Files.writeString(dht, "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\n");
        dht.toFile().deleteOnExit();
        List<Option> options = new ArrayList<>(List.of(Distribution.paxExam(load)));
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.webconsole", WEBCONSOLE_VERSION).startLevel(3));
        options.addAll(WEBCONSOLE_NEEDS);
        Path plugin;
        try (var jars = Files.list(Path.of("../bundles/piecework-webconsole/target"))) {
            plugin = jars.filter(p -> p.getFileName().toString().matches("piecework-webconsole-.*\\.jar")
                    && !p.getFileName().toString().contains("-sources")).findFirst().orElseThrow();
        }
        options.add(bundle(plugin.toAbsolutePath().toUri().toString()).startLevel(3));
        return options.toArray(new Option[0]);
    }

    private static final String WEBCONSOLE_VERSION = "5.0.12";
    /** What the Web Console imports that the distribution does not ship (versions as in itests/pom.xml). */
    private static final List<Option> WEBCONSOLE_NEEDS = List.of(
            mavenBundle("org.apache.felix", "org.apache.felix.inventory", "2.0.0").startLevel(3),
            mavenBundle("org.owasp.encoder", "encoder", "1.2.3").startLevel(3),
            mavenBundle("org.osgi", "org.osgi.service.log", "1.3.0").startLevel(2));

    @Test
    public void thePluginPageShowsTheTorrentWithItsNameEscaped() throws Exception {
        TorrentEngine engine = await(TorrentEngine.class, null);
        MetainfoService metainfo = await(MetainfoService.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-webconsole-");
        String magnet = "magnet:?xt=urn:btih:" + HASH + "&dn="
                + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8).replace("+", "%20");
        engine.add(metainfo.parseMagnet(magnet), new AddOptions(dir, true, List.of()));
        await(Object.class, "(&(" + Constants.OBJECTCLASS + "=jakarta.servlet.Servlet)(felix.webconsole.label=piecework))");
        int port = Integer.parseInt(String.valueOf(context.getProperty(Distribution.HTTP_PORT)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/system/console/piecework"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin".getBytes(StandardCharsets.UTF_8))).GET().build();
        // The console serves its pages once its own servlet is on the Whiteboard: a bounded wait for the page.
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> answer = new java.util.concurrent.atomic.AtomicReference<>();
        Conditions.await(WAIT_MS, () -> {
            try {
                answer.set(http.send(page, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return answer.get().statusCode() == 200 && answer.get().body().contains("piecework-torrents");
        }, "the Web Console's plugin page");
        assertEquals(answer.get().body(), 200, answer.get().statusCode());
        String body = answer.get().body();
        // The engine shows a magnet name's controls as \\uXXXX text already; the plugin escapes the markup.
        assertTrue(body, body.contains("<bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; "));
        assertTrue(body, body.contains("gnp.exe</bdi>"));
        assertFalse(body, body.contains("<script>alert(1)") || body.contains("\u202E"));
        assertTrue(body, body.contains("metadata pending"));
        assertTrue(body, body.contains("Piecework torrents"));
    }

    private <T> T await(Class<T> type, String filter) throws Exception {
        String f = type == Object.class ? filter
                : "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        T service = tracker.waitForService(WAIT_MS);
        assertNotNull("no service " + f + " within " + WAIT_MS + " ms", service);
        return service;
    }
}
