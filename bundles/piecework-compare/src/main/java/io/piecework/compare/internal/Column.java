package io.piecework.compare.internal;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The figures reported per strategy, in table order, with their units and precision. */
enum Column {
    CPU("cpu_per_update", "CPU/update", "us", 2, r -> r.cpuNanosPerUpdate() / 1e3),
    ALLOC("alloc_per_update", "alloc/update", "B", 0, Result::bytesPerUpdate),
    UPDATES("updates_per_s", "updates/s", "", 0, Result::updatesPerSecond),
    LOCKS("lock_acquisitions_per_s", "lock acq/s", "", 0, Result::lockAcquisitionsPerSecond),
    WAIT_P50("lock_wait_p50", "wait p50", "us", 2, r -> r.waitP50() / 1e3),
    WAIT_P99("lock_wait_p99", "wait p99", "us", 2, r -> r.waitP99() / 1e3),
    HOLD_P50("lock_hold_p50", "hold p50", "us", 2, r -> r.holdP50() / 1e3),
    HOLD_P99("lock_hold_p99", "hold p99", "us", 2, r -> r.holdP99() / 1e3),
    WAIT_PERCENT("lock_wait_percent_of_wall", "wait/wall", "%", 3, Result::waitPercent),
    IN_FLIGHT("requests_in_flight", "in flight", "blocks", 0, Result::inFlight),
    THROUGHPUT("throughput", "throughput", "blocks/s", 0, Result::blocksPerSecond),
    IDLE_CPU("idle_cpu_percent", "idle CPU", "% core", 2, Result::idleCpuPercent),
    HEAP("heap_per_idle_torrent", "heap/torrent", "KiB", 1, r -> r.heapPerTorrent() / 1024),
    STRATEGY_HEAP("strategy_heap_per_idle_torrent", "strategy heap/torrent", "KiB", 1,
            r -> r.strategyHeapPerTorrent() / 1024);

    final String id;
    final String title;
    final String unit;
    private final int decimals;
    private final ToDoubleFunction<Result> value;

    Column(String id, String title, String unit, int decimals, ToDoubleFunction<Result> value) {
        this.id = id;
        this.title = title;
        this.unit = unit;
        this.decimals = decimals;
        this.value = value;
    }

    double value(Result r) {
        return value.applyAsDouble(r);
    }

    /** The value as shown in tables: fixed decimals, "n/a" when unknown (negative). */
    String format(Result r) {
        double v = value(r);
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The CSV header: id and unit, e.g. {@code cpu_per_update_us}. */
    String csvHeader() {
        return unit.isEmpty() ? id : id + "_" + unit.replace("% core", "pct_core").replace("%", "pct")
                .replace('/', '_').replace(' ', '_');
    }
}
