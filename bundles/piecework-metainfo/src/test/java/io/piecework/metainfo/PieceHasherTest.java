package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures in any worker fail the whole hash run, with the file named, and leave no threads. */
class PieceHasherTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatVanishedFailsTheRunNamingIt() throws Exception {
        Path a = Files.write(dir.resolve("a"), new byte[100_000]);
        Path gone = dir.resolve("gone");
        PieceHasher hasher = new PieceHasher(new Path[] {a, gone}, new long[] {100_000, 100_000}, 16384);
        IOException e = assertThrows(IOException.class, () -> hasher.hash(3, CreateProgress.NONE));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        assertNoHashThreadsLeft();
    }

    @Test
    void aFileThatShrankFailsTheRun() throws Exception {
        Path a = Files.write(dir.resolve("a"), new byte[1000]);
        PieceHasher hasher = new PieceHasher(new Path[] {a}, new long[] {50_000}, 16384);
        IOException e = assertThrows(IOException.class, () -> hasher.hash(2, CreateProgress.NONE));
        assertTrue(e.getMessage().contains("became shorter"), e.getMessage());
        assertNoHashThreadsLeft();
    }

    @Test
    void progressIsNotReportedAsCompleteWhenTheRunFails() throws Exception {
        Path a = Files.write(dir.resolve("a"), new byte[1000]);
        long[] last = {0};
        PieceHasher hasher = new PieceHasher(new Path[] {a}, new long[] {50_000}, 16384);
        assertThrows(IOException.class, () -> hasher.hash(1, (done, total) -> last[0] = done));
        assertFalse(last[0] == 50_000);
    }

    /** The pool is shut down before hash() returns; its threads end within a bound. */
    private static void assertNoHashThreadsLeft() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("piecework-hash-")) {
                t.join(5000);
                assertFalse(t.isAlive(), t.getName() + " still alive");
            }
        }
    }
}
