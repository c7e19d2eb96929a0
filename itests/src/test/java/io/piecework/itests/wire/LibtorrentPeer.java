package io.piecework.itests.wire;

import io.piecework.itests.support.ScriptProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorrent-rasterbar driven through {@code ltpeer.py}: it prints what the test waits for
 * on stdout, logs its alerts to a file, and exits when we close its stdin. The process
 * handling is {@link ScriptProcess}'s; this adds the script's modes and its PORT line.
 */
final class LibtorrentPeer implements AutoCloseable {
    static final String PYTHON = ScriptProcess.PYTHON;
    private final ScriptProcess process;

    private LibtorrentPeer(ScriptProcess process) {
        this.process = process;
    }

    static Path script() {
        try {
            return Path.of(LibtorrentPeer.class.getResource("/python/wire/ltpeer.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        return command;
    }

    static LibtorrentPeer start(Path dir, String... args) throws IOException {
        Path log = dir.resolve("libtorrent-" + args[0] + ".log");
        return new LibtorrentPeer(ScriptProcess.start(log, command(args)));
    }

    /** Runs the script to completion (the {@code create} mode). */
    static void run(String... args) throws IOException, InterruptedException {
        ScriptProcess.run(60, command(args));
    }

    /** The next line starting with {@code prefix}; fails after {@code seconds}. */
    String await(String prefix, int seconds) throws InterruptedException {
        return process.await(prefix, seconds);
    }

    /** Every line printed so far that starts with {@code prefix}, without waiting. */
    List<String> drained(String prefix) {
        return process.drained(prefix);
    }

    int port() throws InterruptedException {
        return Integer.parseInt(await("PORT ", 30).substring(5).trim());
    }

    @Override
    public void close() {
        process.close();
    }
}
