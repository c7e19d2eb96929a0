package io.piecework.loadtest.internal;

import io.piecework.api.metainfo.InfoHash;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake swarm in a child JVM ({@link SwarmProcess}), started with this JVM's java and the
 * jars of the running bundles: its sockets count against its own file-descriptor limit, so the
 * engine's process needs one descriptor per connection instead of two, and its heap, threads
 * and GC stay out of the engine's figures. One command at a time, each answered by a line.
 */
final class RemoteSwarm implements FakePeers {
    private final Process process;
    private final PrintStream commands;
    private final BufferedReader answers;

    RemoteSwarm(Payload payload, long seed, int threads, List<Path> classpath) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx1g",
                // The payload is off-heap, and as large as the torrent.
                "-XX:MaxDirectMemorySize=" + (payload.length() + (256L << 20)),
                "-Dio.netty.jfr.enabled=false", "-cp", String.join(File.pathSeparator,
                        classpath.stream().map(Path::toString).toList()),
                SwarmProcess.class.getName(), String.valueOf(payload.length()), String.valueOf(payload.pieceLength()),
                String.valueOf(seed), String.valueOf(threads)));
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = answers.readLine();
        if (!"ready".equals(ready)) {
            process.destroy();
            throw new IOException("the fake swarm's JVM did not start (" + command.get(0) + " ... "
                    + SwarmProcess.class.getSimpleName() + " answered " + ready + ")");
        }
    }

    /** The child's process id, for the report. */
    long pid() {
        return process.pid();
    }

    private synchronized String ask(String command) {
        commands.println(command);
        try {
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("the fake swarm's JVM ended (exit " + exitCode() + ") on: " + command);
            }
            if (answer.startsWith("error ")) {
                throw new IllegalStateException("fake swarm: " + answer.substring(6));
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException("fake swarm: " + e.getMessage(), e);
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private String[] stats() {
        return ask("stats").split(" ", 5);
    }

    @Override
    public void dial(InfoHash infoHash, int count, InetSocketAddress engine) {
        ask("dial " + infoHash.hex() + " " + count + " " + engine.getHostString() + " " + engine.getPort());
    }

    @Override
    public void churn(double fraction, long seed) {
        if (fraction > 0) {
            ask("churn " + fraction + " " + seed);
        }
    }

    @Override
    public void stopChurn() {
        ask("stopchurn");
    }

    @Override
    public int connections() {
        return Integer.parseInt(stats()[0]);
    }

    @Override
    public long churned() {
        return Long.parseLong(stats()[1]);
    }

    @Override
    public long redials() {
        return Long.parseLong(ask("redials").split(" ")[0]);
    }

    @Override
    public String violation() {
        String[] s = stats();
        return s.length > 4 ? s[4] : null;
    }

    @Override
    public boolean awaitLive(int count, long millis) {
        return Boolean.parseBoolean(ask("await " + count + " " + millis));
    }

    @Override
    public long processCpuNanos() {
        return Long.parseLong(stats()[3]);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            ask("quit");
        } catch (IllegalStateException ended) {
            // "quit" has no answer: the child ends, and the read sees the end of its output.
        }
        commands.close();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
