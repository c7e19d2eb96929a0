package io.piecework.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.DurationBuckets;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
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
        String expected = EngineCollector.labelName(hostile);
        assertEquals(hostile.replace('\n', ' ').replace('\r', ' ').substring(0, 64), expected,
                "control characters become spaces, the rest is kept, cut to 64");
        assertTrue(expected.contains("\"") && expected.contains("\\") && expected.contains("<script>"));
        assertEquals(Labels.of("hash", "010101010101", "name", expected),
                point("piecework_torrent_downloaded_bytes", "hash", "010101010101").getLabels());
        // The text as written: one line for the series, the name escaped as the format says.
        List<String> lines = scrape(10).lines().toList();
        String escaped = expected.replace("\\", "\\\\").replace("\"", "\\\"");
        assertEquals(List.of("piecework_torrent_downloaded_bytes_total{hash=\"010101010101\",name=\"" + escaped + "\"} 100.0"),
                lines.stream().filter(l -> l.startsWith("piecework_torrent_downloaded_bytes_total")).toList());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("evil")), "no sample forged by a name");
        assertTrue(lines.stream().allMatch(l -> l.startsWith("# HELP ") || l.startsWith("# TYPE ")
                || l.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [-+0-9.eE]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? [+-]Inf|.* NaN")),
                "every line a comment or a sample");
    }

    @Test
    void sessionTotalsTorrentsByStateAndTheLockHistograms() throws IOException {
        torrents.add(stats(1, "one", TorrentState.DOWNLOADING));
        torrents.add(stats(2, "two", TorrentState.SEEDING));
        torrents.add(stats(3, "three", TorrentState.SEEDING));
        assertEquals(600.0, value(point("piecework_downloaded_bytes", null, null)));
        assertEquals(2.0, value(point("piecework_torrents", "state", "seeding")));
        assertEquals(1.0, value(point("piecework_torrents", "state", "downloading")));
        assertEquals(0.0, value(point("piecework_torrents", "state", "error")));
        assertEquals(Labels.of("strategy", "cached"), point("piecework_strategy", null, null).getLabels());
        HistogramDataPointSnapshot waits = (HistogramDataPointSnapshot) point("piecework_torrent_lock_wait_seconds", "name", "two");
        assertEquals(2e-3, waits.getSum(), 1e-12);
        // Torrent two's waits: 2 at 0 ns, 2 at 3 us, 2 at 5 ms, 2 over 17 s (see stats()).
        assertEquals(8, waits.getCount());
        assertEquals(Map.of(2.56e-7, 2L, 4.096e-6, 4L, 0.004194304, 4L, 0.016777216, 6L, 17.179869184, 6L,
                Double.POSITIVE_INFINITY, 8L), cumulative(waits, 2.56e-7, 4.096e-6, 0.004194304, 0.016777216,
                17.179869184, Double.POSITIVE_INFINITY));
        HistogramDataPointSnapshot holds = (HistogramDataPointSnapshot) point("piecework_torrent_lock_hold_seconds", "name", "two");
        assertEquals(4e-3, holds.getSum(), 1e-12);
        assertEquals(0, holds.getCount(), "an engine without buckets (API 1.3) gives an empty histogram");
        assertTrue(scrape(10).lines().anyMatch(l -> l.startsWith("jvm_memory_")), "JVM metrics are there");
    }

    @Test
    void theEnginesBucketsAddUpIntoThePublishedOnesWithoutLoss() {
        long[] counts = new long[DurationBuckets.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i + 1;
        }
        long[] merged = EngineCollector.merged(new DurationBuckets(counts));
        assertEquals(new DurationBuckets(counts).total(), java.util.stream.LongStream.of(merged).sum());
        assertEquals(15, EngineCollector.LE_SECONDS.length, "14 bounds, a factor of 4 apart, then +Inf");
        for (int k = 0; k < merged.length - 1; k++) {
            // Every engine bucket whose bound is at most this published bound is counted up to it.
            double le = EngineCollector.LE_SECONDS[k];
            long upTo = 0;
            for (int i = 0; i < counts.length - 1; i++) {
                upTo += DurationBuckets.upperBoundNanos(i) / 1e9 <= le ? counts[i] : 0;
            }
            assertEquals(upTo, java.util.stream.LongStream.of(merged).limit(k + 1).sum(), "le=" + le);
        }
        assertEquals(counts[counts.length - 1], merged[merged.length - 1], "over 17 s: +Inf only");
    }

    @Test
    void seriesAreBoundedAndANamelessEngineSaysSo() {
        for (int i = 1; i <= 5; i++) {
            torrents.add(stats(i, "t" + i, TorrentState.DOWNLOADING));
        }
        assertEquals(3, metric(new EngineCollector(engine::get, 3).collect(), "piecework_torrent_peers").getDataPoints().size());
        assertEquals(2.0, value(new EngineCollector(engine::get, 3).collect(), "piecework_torrents_without_series"));
        engine.set(null);
        MetricSnapshots none = new EngineCollector(engine::get, 3).collect();
        assertEquals(0.0, value(none, "piecework_engine_up"));
        assertFalse(none.stream().anyMatch(m -> m.getMetadata().getName().startsWith("piecework_torrent_")));
    }

    private String scrape(int maxTorrents) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new EngineCollector(engine::get, maxTorrents));
        io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MetricSnapshot metric(MetricSnapshots all, String name) {
        return all.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static double value(MetricSnapshots all, String name) {
        return value(metric(all, name).getDataPoints().get(0));
    }

    /** The data point of {@code name} whose label is the value given (the only one when label is null). */
    private DataPointSnapshot point(String name, String label, String labelValue) {
        List<? extends DataPointSnapshot> points = metric(new EngineCollector(engine::get, 10).collect(), name).getDataPoints();
        if (label == null) {
            assertEquals(1, points.size(), name);
            return points.get(0);
        }
        return points.stream().filter(p -> labelValue.equals(p.getLabels().get(label))).findFirst()
                .orElseThrow(() -> new AssertionError(name + "{" + label + "=" + labelValue + "}"));
    }

    private static double value(DataPointSnapshot p) {
        return p instanceof CounterDataPointSnapshot c ? c.getValue() : ((GaugeDataPointSnapshot) p).getValue();
    }

    /** Cumulative counts (as the text format's le buckets) at the bounds given. */
    private static Map<Double, Long> cumulative(HistogramDataPointSnapshot h, double... bounds) {
        Map<Double, Long> out = new java.util.HashMap<>();
        for (double le : bounds) {
            long sum = 0;
            for (var bucket : h.getClassicBuckets()) {
                sum += bucket.getUpperBound() <= le ? bucket.getCount() : 0;
            }
            out.put(le, sum);
        }
        return out;
    }

    /** Torrent n: n*100 bytes down, n*1000 lock acquisitions, n ms waited in all (n waits in each of 4 buckets), no hold buckets. */
    private static TorrentStats stats(int n, String name, TorrentState state) {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) n);
        long[] waits = new long[DurationBuckets.BUCKETS];
        for (long d : new long[] {0, 3_000, 5_000_000, 20_000_000_000L}) {
            waits[DurationBuckets.bucketOf(d)] += n;
        }
        return new TorrentStats(InfoHash.of(hash), name, state, 10, n, 1000, 100L * n, 100L * n, 10L * n, 5, 1, 2, 1, 60,
                1000L * n, 1_000_000L * n, 2_000_000L * n, 100, 200, 1000, 2000L * n, 0, 7, 0, 0, Optional.empty(),
                new DurationBuckets(waits), null);
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
