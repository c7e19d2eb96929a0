package io.piecework.metrics.internal;

import io.piecework.api.engine.DurationBuckets;
import io.piecework.api.engine.EngineStats;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's figures as Prometheus snapshots, read at each scrape from the torrents'
 * published {@link TorrentStats} (no torrent lock is taken). Per-torrent series carry two
 * labels only, {@code hash} (the info-hash's first {@value #HASH_CHARS} hex digits) and
 * {@code name} (cleaned and cut, {@link #labelName}), and at most {@code maxTorrents} torrents
 * get series, so a scrape's size stays bounded however many torrents are added.
 */
final class EngineCollector implements MultiCollector {
    static final int HASH_CHARS = 12;
    static final int NAME_CHARS = 64;
    private static final double NANOS = 1e9;
    private static final int FIRST_SHIFT = 8;
    private static final int STEP = 2;
    /** The engine's last finite bound (2^34 ns); what is longer goes to +Inf. */
    private static final int LAST_SHIFT = DurationBuckets.BUCKETS - 2;
    static final double[] LE_SECONDS = bounds();

    private final Supplier<TorrentEngine> engine;
    private final int maxTorrents;

    /** {@code engine} gives the bound engine or null while there is none. */
    EngineCollector(Supplier<TorrentEngine> engine, int maxTorrents) {
        this.engine = engine;
        this.maxTorrents = maxTorrents;
    }

    @Override
    public MetricSnapshots collect() {
        TorrentEngine e = engine.get();
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("piecework_engine_up", "1 while an engine is bound, 0 otherwise",
                List.of(Labels.EMPTY), l -> e == null ? 0 : 1));
        if (e == null) {
            return new MetricSnapshots(out);
        }
        List<TorrentStats> all = new ArrayList<>();
        for (TorrentHandle h : e.torrents()) {
            all.add(h.stats());
        }
        session(e, all, out);
        List<TorrentStats> shown = all.size() > maxTorrents ? all.subList(0, maxTorrents) : all;
        torrents(shown, out);
        out.add(gauge("piecework_torrents_without_series", "Torrents left out of the per-torrent series (more than "
                + maxTorrents + ")", List.of(Labels.EMPTY), l -> all.size() - shown.size()));
        return new MetricSnapshots(out);
    }

    private static void session(TorrentEngine e, List<TorrentStats> all, List<MetricSnapshot> out) {
        EngineStats s = e.stats();
        out.add(counter("piecework_downloaded_bytes", "Payload bytes received by the engine's torrents", s.downloaded()));
        out.add(counter("piecework_uploaded_bytes", "Payload bytes sent by the engine's torrents", s.uploaded()));
        out.add(gauge("piecework_download_bytes_per_second", "Payload receive rate, recent average",
                List.of(Labels.EMPTY), l -> s.downloadRate()));
        out.add(gauge("piecework_upload_bytes_per_second", "Payload send rate, recent average",
                List.of(Labels.EMPTY), l -> s.uploadRate()));
        out.add(gauge("piecework_peers", "Connected peers, all torrents", List.of(Labels.EMPTY), l -> s.peers()));
        Map<TorrentState, Integer> byState = new EnumMap<>(TorrentState.class);
        for (TorrentState state : TorrentState.values()) {
            byState.put(state, 0);
        }
        all.forEach(t -> byState.merge(t.state(), 1, Integer::sum));
        Map<Labels, Double> states = new LinkedHashMap<>();
        byState.forEach((state, n) -> states.put(Labels.of("state", state.name().toLowerCase(java.util.Locale.ROOT)),
                (double) n));
        out.add(gauge("piecework_torrents", "Torrents by state", List.copyOf(states.keySet()), states::get));
        String strategy = e.strategy().orElse("");
        out.add(InfoSnapshot.builder().name("piecework_strategy").help("The request strategy in use")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("strategy", strategy)).build())
                .build());
    }

    private static void torrents(List<TorrentStats> shown, List<MetricSnapshot> out) {
        Map<Labels, TorrentStats> byLabels = new LinkedHashMap<>();
        for (TorrentStats t : shown) {
            byLabels.put(Labels.of("hash", t.infoHash().hex().substring(0, HASH_CHARS), "name", labelName(t.name())), t);
        }
        List<Labels> labels = List.copyOf(byLabels.keySet());
        Function<ToDoubleFunction<TorrentStats>, ToDoubleFunction<Labels>> of = f -> l -> f.applyAsDouble(byLabels.get(l));
        out.add(counters("piecework_torrent_downloaded_bytes", "Payload bytes received", labels, of.apply(TorrentStats::downloaded)));
        out.add(counters("piecework_torrent_uploaded_bytes", "Payload bytes sent", labels, of.apply(TorrentStats::uploaded)));
        out.add(gauge("piecework_torrent_verified_bytes", "Bytes of wanted pieces verified", labels, of.apply(TorrentStats::verifiedBytes)));
        out.add(gauge("piecework_torrent_wanted_bytes", "Bytes of pieces not skipped", labels, of.apply(TorrentStats::wantedBytes)));
        out.add(gauge("piecework_torrent_download_bytes_per_second", "Payload receive rate", labels, of.apply(TorrentStats::downloadRate)));
        out.add(gauge("piecework_torrent_upload_bytes_per_second", "Payload send rate", labels, of.apply(TorrentStats::uploadRate)));
        out.add(gauge("piecework_torrent_peers", "Connected peers", labels, of.apply(TorrentStats::peers)));
        out.add(gauge("piecework_torrent_seeds", "Connected peers that have every piece", labels, of.apply(TorrentStats::seeds)));
        out.add(gauge("piecework_torrent_pieces", "Pieces in the torrent (0 for a magnet without metadata)", labels,
                of.apply(TorrentStats::pieces)));
        out.add(gauge("piecework_torrent_pieces_verified", "Pieces verified", labels, of.apply(TorrentStats::piecesVerified)));
        out.add(counters("piecework_torrent_hash_failures", "Pieces that failed verification", labels,
                of.apply(TorrentStats::hashFailures)));
        out.add(counters("piecework_torrent_banned_peers", "Peers banned for data that failed verification", labels,
                of.apply(TorrentStats::bannedPeers)));
        out.add(counters("piecework_torrent_request_updates", "Request updates run for the torrent's peers", labels,
                of.apply(TorrentStats::requestUpdates)));
        out.add(counters("piecework_torrent_request_update_seconds", "Time the request strategy spent in those updates",
                labels, of.apply(s -> s.requestUpdateNanos() / 1e9)));
        out.add(counters("piecework_torrent_lock_handoffs", "Work handed to the torrent lock's holder instead of waiting",
                labels, of.apply(TorrentStats::lockHandoffs)));
        // The engine's own buckets, every other bound of them (cumulative counts at a subset of
        // bounds are exact): a histogram Prometheus can aggregate over torrents and instances.
        out.add(histogram("piecework_torrent_lock_wait_seconds", "Time threads waited for the torrent's lock per acquisition",
                labels, byLabels, TorrentStats::lockWaits, TorrentStats::lockWaitNanos));
        out.add(histogram("piecework_torrent_lock_hold_seconds", "Time the torrent's lock was held per acquisition",
                labels, byLabels, TorrentStats::lockHolds, TorrentStats::lockHoldNanos));
    }

    /**
     * A name as a label value: control characters (line breaks, the bidi controls are not
     * among them) become spaces, so no scrape line is split or garbled by a tool that mishandles
     * escapes, and it is cut to {@value #NAME_CHARS} code points. Quotes and backslashes stay:
     * the text format's writer escapes them.
     */
    static String labelName(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(NAME_CHARS).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return counters(name, help, List.of(Labels.EMPTY), l -> value);
    }

    private static CounterSnapshot counters(String name, String help, List<Labels> labels, ToDoubleFunction<Labels> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        labels.forEach(l -> b.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(value.applyAsDouble(l)).build()));
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<Labels> labels, ToDoubleFunction<Labels> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        labels.forEach(l -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(value.applyAsDouble(l)).build()));
        return b.build();
    }

    private static HistogramSnapshot histogram(String name, String help, List<Labels> labels,
                                               Map<Labels, TorrentStats> stats, Function<TorrentStats, DurationBuckets> buckets,
                                               ToDoubleFunction<TorrentStats> totalNanos) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
        for (Labels l : labels) {
            TorrentStats t = stats.get(l);
            b.dataPoint(HistogramDataPointSnapshot.builder().labels(l)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(LE_SECONDS, merged(buckets.apply(t))))
                    .sum(totalNanos.applyAsDouble(t) / NANOS)
                    .build());
        }
        return b.build();
    }

    /** The engine's bucket counts added up into the published buckets (not cumulative: the writer adds them up). */
    static long[] merged(DurationBuckets engine) {
        long[] out = new long[LE_SECONDS.length];
        for (int i = 0; i < DurationBuckets.BUCKETS; i++) {
            int shift = Math.max(i, FIRST_SHIFT);
            int slot = i == DurationBuckets.BUCKETS - 1 ? out.length - 1 : (shift - FIRST_SHIFT + STEP - 1) / STEP;
            out[slot] += engine.count(i);
        }
        return out;
    }

    /** Published bounds: 2^8 ns (256 ns) to 2^34 ns (17 s), a factor of 4 apart, then +Inf. */
    private static double[] bounds() {
        int finite = (LAST_SHIFT - FIRST_SHIFT) / STEP + 1;
        double[] le = new double[finite + 1];
        for (int k = 0; k < finite; k++) {
            le[k] = (1L << (FIRST_SHIFT + k * STEP)) / NANOS;
        }
        le[finite] = Double.POSITIVE_INFINITY;
        return le;
    }
}
