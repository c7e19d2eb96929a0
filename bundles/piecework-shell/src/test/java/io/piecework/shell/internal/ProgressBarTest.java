package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long MIB = 1 << 20;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advanceMillis(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void barShowsPercentRateAndEta() {
        assertEquals("[###############...............]  50%  3.0 MiB/s  ETA 0:02",
                ProgressBar.bar(6 * MIB, 12 * MIB, 2.0));
    }

    @Test
    void barIsFullAndEtaZeroWhenDone() {
        assertEquals("[##############################] 100%  1.0 MiB/s  ETA 0:00",
                ProgressBar.bar(MIB, MIB, 1.0));
    }

    @Test
    void etaIsUnknownBeforeAnyByteIsHashed() {
        assertTrue(ProgressBar.bar(0, MIB, 0).endsWith("ETA -:--"));
    }

    @Test
    void plainLineNamesBothSizes() {
        assertEquals("25% (1.0 MiB of 4.0 MiB), 0.5 MiB/s, ETA 0:06", ProgressBar.line(MIB, 4 * MIB, 2.0));
    }

    @Test
    void terminalRedrawsOneLineAtMostTenTimesASecond() {
        ProgressBar p = new ProgressBar("hashing", err, true, clock::get);
        for (int i = 1; i <= 100; i++) {
            advanceMillis(10); // 100 updates over one second
            p.hashed(i * MIB, 100 * MIB);
        }
        long redraws = text().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 9 && redraws <= 10, "redraws: " + redraws);
        assertTrue(text().indexOf('\n') < 0, "a terminal bar never starts a new line while running");
        p.finish();
        assertTrue(text().endsWith("100%  100.0 MiB/s  ETA 0:00\n"), text());
    }

    @Test
    void plainOutputPrintsALineAtMostEveryTwoSeconds() {
        ProgressBar p = new ProgressBar("hashing", err, false, clock::get);
        for (int i = 1; i <= 50; i++) {
            advanceMillis(100); // 50 updates over five seconds
            p.hashed(i, 50);
        }
        p.finish();
        String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        assertEquals("hashing: 40% (20 B of 50 B), 0.0 MiB/s, ETA 0:03", lines[0]);
        assertTrue(text().indexOf('\r') < 0);
    }

    @Test
    void aShortJobPrintsNothingWhenNotOnATerminal() {
        ProgressBar p = new ProgressBar("hashing", err, false, clock::get);
        advanceMillis(300);
        p.hashed(10, 10);
        p.finish();
        assertEquals("", text());
    }

    @Test
    void keepsTheLargestCountWhenThreadsReportOutOfOrder() {
        ProgressBar p = new ProgressBar("hashing", err, false, clock::get);
        p.hashed(80, 100);
        advanceMillis(2000);
        p.hashed(40, 100);
        assertTrue(text().startsWith("hashing: 80%"), text());
    }
}
