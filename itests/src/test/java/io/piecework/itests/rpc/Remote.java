package io.piecework.itests.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A run of a remote (transmission-remote, a python client): its exit status and output. */
record Remote(int status, String out) {
    private static final int SECONDS = 60;

    /** Runs {@code command} to completion (bounded), stdout and stderr together. */
    static Remote run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("remote-", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " still running after " + SECONDS + " s: "
                        + Files.readString(out));
            }
            return new Remote(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** transmission-remote against {@code port} on loopback. */
    static Remote transmission(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("transmission-remote", "127.0.0.1:" + port));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The line of {@code transmission-remote -l} for torrent {@code id}, or null. */
    String listLine(String id) {
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 2 && cols[0].equals(id)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "exit " + status + ":\n" + out;
    }
}
