package io.piecework.itests.webui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.support.ScriptProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real daemon, scraped while it downloads from a libtorrent seeder held
 * to 1 MiB/s: every scrape parses strictly, the byte counters grow between scrapes during the
 * download, the torrent's lock histograms have samples (buckets cumulative, +Inf equal to the count), a magnet's name with quotes, a
 * backslash, line feeds and a forged sample comes back as one label value, and the RPC's user guards /metrics too.
 * The RPC's access check (user, address and Host whitelist) guards /metrics, /piecework/* and
 * the UI's files alike.
 */
class MetricsIT {
    private static final int TIMEOUT_S = 180; // a shared 2-core machine: starts take seconds
    /** A magnet's name (dn) reaches the engine as given, unlike a .torrent's, whose names are cleaned. */
    private static final String HOSTILE = "q\"uo\\te}\n# TYPE evil counter\nevil{x=\"1\"} 1 \u202E<b>";
    private static final String HOSTILE_HASH = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    @Test
    void scrapesDuringADownloadParseAndTheCountersGrow() throws Exception {
        TorrentMetainfo meta = Payload.create(dir, "metered", 6 << 20, 1);
        Map<String, String> auth = Map.of("io.piecework.rpc.transmission.cfg", "username=watcher\npassword=s3cret\n");
        try (DaemonProcess daemon = new DaemonProcess(dir, auth, TIMEOUT_S)) {
            RpcClient rpc = new RpcClient(daemon.base(), "watcher", "s3cret");
            RpcClient stranger = new RpcClient(daemon.base(), null, null);
            // The daemon's HTTP port opens before every bundle's servlet is on the Whiteboard:
            // until /metrics is there, it is not found (404), never served unchecked.
            await(() -> status(stranger, "/metrics") != 404, "/metrics on the Whiteboard");
            // The web UI is another bundle, registered in its own time (CI once saw a 404 here).
            await(() -> status(stranger, "/piecework/engine") != 404, "the web UI on the Whiteboard");
            assertEquals(401, stranger.get("/metrics").statusCode(), "the RPC's user guards /metrics");
            assertEquals(401, stranger.get("/transmission/rpc").statusCode(), "and the RPC still gets its configuration");
            // One access check (the RPC's context) for all: a name an attacker's DNS answers (DNS
            // rebinding) is refused everywhere, as by the RPC...
            String basic = "Basic " + Base64.getEncoder().encodeToString("watcher:s3cret".getBytes(StandardCharsets.UTF_8));
            for (String path : List.of("/metrics", "/piecework/engine", "/", "/transmission/rpc")) {
                assertEquals(421, status(daemon.base(), path, "rebind.evil.example", basic), path + " with a foreign Host");
            }
            assertEquals(200, status(daemon.base(), "/metrics", "localhost", basic), "localhost is always allowed");
            assertEquals(200, status(daemon.base(), "/piecework/engine", "127.0.0.1", basic), "an IP address too");
            // ...and the UI's files need the user too.
            for (String file : List.of("/", "/index.html", "/app.js", "/style.css")) {
                assertEquals(401, stranger.get(file).statusCode(), "the UI file " + file + " needs the user");
                assertEquals(200, rpc.get(file).statusCode(), file + " with the user");
            }
            Path down = dir.resolve("down");
            add(rpc, meta, down, false);
            String magnet = "magnet:?xt=urn:btih:" + HOSTILE_HASH + "&dn="
                    + java.net.URLEncoder.encode(HOSTILE, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            String added = rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"filename\":\"" + magnet
                    + "\",\"download-dir\":\"" + down + "\",\"paused\":true}}");
            assertTrue(added.contains("\"success\""), added);
            String hash = meta.infoHash().hex().substring(0, 12);
            Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
            try (ScriptProcess seeder = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                    script.toString(), "seed", Payload.torrent(dir, "metered").toString(), dir.resolve("seed").toString(),
                    "--upload-limit", String.valueOf(1 << 20)))) {
                seeder.await("PORT", TIMEOUT_S);
                seeder.send("CONNECT " + daemon.peerPort);
                // Two scrapes during the download (some bytes, not all), the second with more.
                double[] first = new double[1];
                await(() -> {
                    double got = value(scrape(rpc), "piecework_torrent_downloaded_bytes_total", hash);
                    first[0] = got;
                    return got > 0 && got < meta.totalSize();
                }, "a scrape during the download");
                await(() -> {
                    List<StrictScrape.Sample> now = scrape(rpc);
                    double got = value(now, "piecework_torrent_downloaded_bytes_total", hash);
                    // The lock histograms have samples while it downloads, and are well formed.
                    return got > first[0] && got < meta.totalSize()
                            && histogramCount(now, "piecework_torrent_lock_wait_seconds", hash) > 0
                            && histogramCount(now, "piecework_torrent_lock_hold_seconds", hash) > 0;
                }, "a later scrape during the download with more bytes than " + first[0] + " and lock samples");
                await(() -> value(scrape(rpc), "piecework_torrent_verified_bytes", hash) == meta.totalSize(),
                        "the download complete");
            }
            List<StrictScrape.Sample> last = scrape(rpc);
            assertTrue(value(last, "piecework_downloaded_bytes_total", null) >= meta.totalSize(), "the session total");
            assertTrue(histogramCount(last, "piecework_torrent_lock_wait_seconds", hash) > 0, "the lock histogram has samples");
            assertTrue(histogramCount(last, "piecework_torrent_lock_hold_seconds", hash) > 0);
            assertTrue(value(last, "piecework_torrent_lock_hold_seconds_sum", hash) > 0, "the lock was held for a time");
            assertTrue(value(last, "piecework_torrent_request_updates_total", hash) > 0);
            assertTrue(value(last, "piecework_torrent_request_update_seconds_total", hash) > 0,
                    "the request updates took a time: their cost over time");
            assertEquals(1.0, value(last, "piecework_torrents", null, "state", "seeding"));
            assertEquals(2.0, last.stream().filter(x -> x.name().equals("piecework_torrents"))
                    .mapToDouble(StrictScrape.Sample::value).sum(), "two torrents by state");
            // The engine shows a name's control characters as \\uXXXX text; the label carries what the RPC shows.
            String shown = rpcName(rpc, HOSTILE_HASH);
            assertTrue(shown.contains("\"") && shown.contains("\\") && shown.contains("# TYPE evil"), shown);
            assertEquals(Optional.of(shown), last.stream()
                    .filter(s -> HOSTILE_HASH.substring(0, 12).equals(s.labels().get("hash")))
                    .map(s -> s.labels().get("name")).findFirst(), "the hostile name comes back as the RPC shows it");
            assertTrue(last.stream().noneMatch(s -> s.name().startsWith("evil")), "no sample forged by a name");
            assertTrue(last.stream().anyMatch(s -> s.name().equals("jvm_threads_current")), "JVM metrics");
        }
    }

    private static int status(RpcClient client, String path) {
        try {
            return client.get(path).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status of a GET with the Host header given (the JDK's client does not let a request set Host). */
    private static int status(String base, String path, String host, String authorization) throws IOException {
        java.net.URI uri = java.net.URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + uri.getPort()
                    + "\r\nAuthorization: " + authorization + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 "), answer);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    @SuppressWarnings("unchecked")
    private static String rpcName(RpcClient rpc, String hash) throws Exception {
        String answer = rpc.call("{\"method\":\"torrent-get\",\"arguments\":{\"ids\":[\"" + hash
                + "\"],\"fields\":[\"name\"]}}");
        Map<String, Object> parsed = new org.openqa.selenium.json.Json().toType(answer, Map.class);
        List<Map<String, Object>> torrents = (List<Map<String, Object>>) ((Map<String, Object>) parsed.get("arguments")).get("torrents");
        return (String) torrents.get(0).get("name");
    }

    private static void add(RpcClient rpc, TorrentMetainfo meta, Path down, boolean paused) throws Exception {
        String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(
                Payload.torrent(down.getParent(), meta.name())));
        String answer = rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + base64
                + "\",\"download-dir\":\"" + down + "\",\"paused\":" + paused + "}}");
        assertTrue(answer.contains("\"success\""), answer);
    }

    private static List<StrictScrape.Sample> scrape(RpcClient rpc) {
        try {
            HttpResponse<String> r = rpc.get("/metrics");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            return StrictScrape.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A histogram's count, once its buckets are checked: at least two, cumulative (never
     * falling as le grows), le strictly growing, ending at +Inf, which equals _count.
     */
    private static double histogramCount(List<StrictScrape.Sample> samples, String name, String hash) {
        List<StrictScrape.Sample> buckets = samples.stream()
                .filter(s -> s.name().equals(name + "_bucket") && hash.equals(s.labels().get("hash"))).toList();
        assertTrue(buckets.size() >= 2, name + " buckets: " + buckets);
        double le = Double.NEGATIVE_INFINITY;
        double count = 0;
        for (StrictScrape.Sample b : buckets) {
            double bound = Double.parseDouble(b.labels().get("le").replace("+Inf", "Infinity"));
            assertTrue(bound > le, name + ": le grows " + buckets);
            assertTrue(b.value() >= count, name + ": cumulative counts never fall " + buckets);
            le = bound;
            count = b.value();
        }
        assertEquals(Double.POSITIVE_INFINITY, le, name + " ends at +Inf");
        assertEquals(count, value(samples, name + "_count", hash), name + ": +Inf equals _count");
        assertTrue(value(samples, name + "_sum", hash) >= 0, name + "_sum");
        return count;
    }

    private static double value(List<StrictScrape.Sample> samples, String name, String hash) {
        return value(samples, name, hash, null, null);
    }

    private static double value(List<StrictScrape.Sample> samples, String name, String hash, String label, String is) {
        return samples.stream().filter(s -> s.name().equals(name) && (hash == null || hash.equals(s.labels().get("hash")))
                        && (label == null || is.equals(s.labels().get(label))))
                .mapToDouble(StrictScrape.Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " for " + hash + " " + label + "=" + is));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Conditions.await(TimeUnit.SECONDS.toMillis(TIMEOUT_S), condition, what);
    }
}
