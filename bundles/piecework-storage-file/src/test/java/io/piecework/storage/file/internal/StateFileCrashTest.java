package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is rewriting a resume file, many times, at random moments: the file must
 * always parse, as one whole generation, never a torn mix.
 */
class StateFileCrashTest {
    @TempDir
    Path dir;

    @Test
    void aWriterKilledMidWriteLeavesTheOldOrTheNewStateNeverAHalfOne() throws Exception {
        Path file = dir.resolve("crash.state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(42);
        int tornTemps = 0;
        for (int round = 0; round < 15; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    StateWriterMain.class.getName(), file.toString(), String.valueOf(round * 1000))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
                assertEquals("started", out.readLine(), "child started");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!Files.exists(file) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                TimeUnit.MILLISECONDS.sleep(20 + random.nextInt(200)); // the random moment of the crash
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child ended");
            }
            SavedState state = SavedState.read(file).orElseThrow();
            int g = state.files().size();
            assertEquals(StateWriterMain.generation(g), state, "round " + round + ": a whole generation " + g);
            if (Files.exists(file.resolveSibling("crash.state.tmp"))) {
                tornTemps++;
            }
        }
        System.out.println("killed 15 writers; " + tornTemps + " left a temporary file behind, never the real one torn");
    }
}
