package io.piecework.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EngineCollectorTest {
    private final List<TorrentStats> torrents = new ArrayList<>();
    private final AtomicReference<TorrentEngine> engine = new AtomicReference<>(engine(torrents));

    @Test
    void hostileNamesAreEscapedLabelValuesAndEveryLineStaysWellFormed() throws IOException {
        String hostile = "a\"b\\c\nd}{x=\"1\"} 99\r\n# TYPE evil counter <script>alert(1)</script> &amp; \u202Egnp.exe";
        torrents.add(stats(1, hostile, TorrentState.DOWNLOADING));
        List<StrictScrape.Sample> samples = StrictScrape.parse(scrape(10));
        StrictScrape.Sample down = only(samples, "piecework_torrent_downloaded_bytes_total");
        String expected = EngineCollector.labelName(hostile);
        assertEquals(expected, down.labels().get("name"), "the name comes back from the scrape as written");
        assertEquals(hostile.replace('\n', ' ').replace('\r', ' ').substring(0, 64), expected,
                "control characters become spaces, the rest is kept, cut to 64");
        assertTrue(expected.contains("\"") && expected.contains("\\") && expected.contains("<script>"));
        assertEquals(Map.of("hash", "0101010101010101010101010101010101010101".substring(0, 12), "name", expected),
                down.labels());
        assertTrue(samples.stream().noneMatch(s -> s.name().startsWith("evil")), "no sample forged by a name");
    }

    @Test
    void sessionTotalsTorrentsByStateAndTheLockSummary() throws IOException {
        torrents.add(stats(1, "one", TorrentState.DOWNLOADING));
        torrents.add(stats(2, "two", TorrentState.SEEDING));
        torrents.add(stats(3, "three", TorrentState.SEEDING));
        List<StrictScrape.Sample> samples = StrictScrape.parse(scrape(10));
        assertEquals(600.0, only(samples, "piecework_downloaded_bytes_total").value());
        assertEquals(2.0, value(samples, "piecework_torrents", "state", "seeding"));
        assertEquals(1.0, value(samples, "piecework_torrents", "state", "downloading"));
        assertEquals(0.0, value(samples, "piecework_torrents", "state", "error"));
        assertEquals(1.0, value(samples, "piecework_strategy_info", "strategy", "cached"));
        assertEquals(2000.0, value(samples, "piecework_torrent_lock_wait_seconds_count", "name", "two"));
        assertEquals(2e-3, value(samples, "piecework_torrent_lock_wait_seconds_sum", "name", "two"), 1e-12);
        assertEquals(4e-6, samples.stream().filter(s -> s.name().equals("piecework_torrent_lock_hold_seconds")
                && "0.99".equals(s.labels().get("quantile")) && s.labels().get("name").equals("two"))
                .findFirst().orElseThrow().value(), 1e-12);
        assertTrue(samples.stream().anyMatch(s -> s.name().startsWith("jvm_memory_")), "JVM metrics are there");
    }

    @Test
    void seriesAreBoundedAndANamelessEngineSaysSo() throws IOException {
        for (int i = 1; i <= 5; i++) {
            torrents.add(stats(i, "t" + i, TorrentState.DOWNLOADING));
        }
        List<StrictScrape.Sample> samples = StrictScrape.parse(scrape(3));
        assertEquals(3, samples.stream().filter(s -> s.name().equals("piecework_torrent_peers")).count());
        assertEquals(2.0, only(samples, "piecework_torrents_without_series").value());
        engine.set(null);
        samples = StrictScrape.parse(scrape(3));
        assertEquals(0.0, only(samples, "piecework_engine_up").value());
        assertFalse(samples.stream().anyMatch(s -> s.name().startsWith("piecework_torrent_")));
    }

    private String scrape(int maxTorrents) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new EngineCollector(engine::get, maxTorrents));
        io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static StrictScrape.Sample only(List<StrictScrape.Sample> samples, String name) {
        List<StrictScrape.Sample> found = samples.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, found.size(), name + ": " + found);
        return found.get(0);
    }

    private static double value(List<StrictScrape.Sample> samples, String name, String label, String labelValue) {
        return samples.stream().filter(s -> s.name().equals(name) && labelValue.equals(s.labels().get(label)))
                .findFirst().orElseThrow(() -> new AssertionError(name + "{" + label + "=" + labelValue + "}")).value();
    }

    /** Torrent n: n*100 bytes down, n*1000 lock acquisitions, n ms waited in all, p99 hold n*2 us. */
    private static TorrentStats stats(int n, String name, TorrentState state) {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) n);
        return new TorrentStats(InfoHash.of(hash), name, state, 10, n, 1000, 100L * n, 100L * n, 10L * n, 5, 1, 2, 1, 60,
                1000L * n, 1_000_000L * n, 2_000_000L * n, 100, 200, 1000, 2000L * n, 0, 7, 0, 0, Optional.empty());
    }

    private static TorrentEngine engine(List<TorrentStats> torrents) {
        return (TorrentEngine) Proxy.newProxyInstance(EngineCollectorTest.class.getClassLoader(),
                new Class<?>[] {TorrentEngine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "torrents" -> torrents.stream().map(EngineCollectorTest::handle).toList();
                    case "stats" -> new EngineStats(torrents.size(), 0, torrents.stream().mapToLong(TorrentStats::downloaded).sum(),
                            0, 0, 0);
                    case "strategy" -> Optional.of("cached");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static TorrentHandle handle(TorrentStats stats) {
        return (TorrentHandle) Proxy.newProxyInstance(EngineCollectorTest.class.getClassLoader(),
                new Class<?>[] {TorrentHandle.class}, (proxy, method, args) -> {
                    if (method.getName().equals("stats")) {
                        return stats;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
