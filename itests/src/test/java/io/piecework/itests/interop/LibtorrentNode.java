package io.piecework.itests.interop;

import io.piecework.itests.support.ScriptProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A running lt_node.py: a libtorrent seeder or leecher the test talks to over stdin/stdout. */
final class LibtorrentNode implements AutoCloseable {
    private final ScriptProcess process;
    final int port;

    LibtorrentNode(Path script, String mode, Path torrent, Path savePath, String... extra)
            throws IOException, InterruptedException {
        this(script, mode, torrent.toString(), savePath, extra);
    }

    /** As above, {@code torrent} a .torrent path or a magnet URI. */
    LibtorrentNode(Path script, String mode, String torrent, Path savePath, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ScriptProcess.PYTHON, script.toString(), mode,
                torrent, savePath.toString()));
        command.addAll(List.of(extra));
        ScriptProcess started = ScriptProcess.start(Files.createTempFile("lt-node-", ".log"), command);
        String line = started.pollWhileAlive("PORT", 120);
        if (line == null && !started.isAlive()) {
            // Once in a CI run the helper ended before listening, with nothing on stderr (the
            // binding dying, not Piecework: no connection existed yet). One fresh start, said aloud.
            System.err.println("lt_node.py " + mode + " ended before listening (" + started.describeEnd()
                    + "); starting it once more");
            started.close();
            started = ScriptProcess.start(Files.createTempFile("lt-node-", ".log"), command);
            line = started.pollWhileAlive("PORT", 120);
        }
        process = started;
        if (line == null) {
            process.close();
            throw new AssertionError("lt_node.py " + mode + " printed no PORT: " + process.describeEnd());
        }
        port = Integer.parseInt(line.split(" ")[1]);
    }

    /**
     * Waits for the next line starting with {@code prefix}; fails after {@code seconds}. (A
     * piece libtorrent finds bad it downloads again; the tests compare the files in the end.)
     */
    String await(String prefix, int seconds) throws InterruptedException {
        return process.await(prefix, seconds);
    }

    /** The next line starting with {@code prefix}, or null after {@code seconds}. */
    String poll(String prefix, int seconds) throws InterruptedException {
        return process.poll(prefix, seconds);
    }

    void connect(int peerPort) throws IOException {
        process.send("CONNECT " + peerPort);
    }

    void kill() {
        process.kill();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** How the process ended (exit status, the end of its log), for a message. */
    String describeEnd() {
        return process.describeEnd();
    }

    @Override
    public void close() {
        process.close();
    }
}
