package io.piecework.storage.file.internal;

import java.nio.file.Path;

/**
 * The file storage's configuration, apart from DS so tests and benchmarks can build one.
 *
 * @param stateDir where resume files go; null: the per-user folder ({@link StateLocation#defaultDir()})
 * @param racyMillis a file changed this recently may change again within its time stamp's
 *     tick, so a save made while writing does not vouch for it (see {@code FileStorage})
 */
public record Settings(int maxOpenFiles, boolean preallocate, int hashThreads, Path stateDir,
                long saveDelayMillis, long idleCloseMillis, long racyMillis) {
    public static final Settings DEFAULTS = new Settings(256, false, 0, null, 1000, 60_000, 2000);

    public Settings withStateDir(Path dir) {
        return new Settings(maxOpenFiles, preallocate, hashThreads, dir, saveDelayMillis, idleCloseMillis, racyMillis);
    }

    public Settings withMaxOpenFiles(int max) {
        return new Settings(max, preallocate, hashThreads, stateDir, saveDelayMillis, idleCloseMillis, racyMillis);
    }

    public Settings withPreallocate(boolean on) {
        return new Settings(maxOpenFiles, on, hashThreads, stateDir, saveDelayMillis, idleCloseMillis, racyMillis);
    }

    public Settings withHashThreads(int threads) {
        return new Settings(maxOpenFiles, preallocate, threads, stateDir, saveDelayMillis, idleCloseMillis, racyMillis);
    }

    public Settings withSaveDelayMillis(long millis) {
        return new Settings(maxOpenFiles, preallocate, hashThreads, stateDir, millis, idleCloseMillis, racyMillis);
    }

    public Settings withRacyMillis(long millis) {
        return new Settings(maxOpenFiles, preallocate, hashThreads, stateDir, saveDelayMillis, idleCloseMillis, millis);
    }
}
