package io.piecework.loadtest.internal;

import io.piecework.api.metainfo.InfoHash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The fake swarm in a JVM of its own ({@code loadtest --fork}): started by {@link RemoteSwarm}
 * with the same java, it takes one command a line on stdin and answers each with one line on
 * stdout. It exits when stdin closes, so it never outlives the load test.
 *
 * <pre>
 * start:  SwarmProcess PAYLOAD_BYTES PIECE_LENGTH SEED THREADS      answers "ready"
 * dial HASH COUNT HOST PORT      COUNT seeders of HASH (hex) dial the engine     "ok"
 * churn FRACTION SEED | stopchurn                                                "ok"
 * await COUNT MILLIS             waits for COUNT open connections        "true" | "false"
 * redials                        "REDIALS UNANSWERED": connects tried again, of which closed unanswered
 * stats                          "LIVE CHURNED SERVED_BYTES CPU_NANOS [VIOLATION]"
 * </pre>
 */
public final class SwarmProcess {
    private SwarmProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but answers on the protocol's stream
        Payload payload = new Payload(Long.parseLong(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        try (FakeSwarm swarm = new FakeSwarm(payload, Integer.parseInt(args[3]))) {
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                out.println(answer(swarm, line.split(" ")));
            }
        } finally {
            payload.release();
        }
    }

    private static String answer(FakeSwarm swarm, String[] c) throws InterruptedException {
        switch (c[0]) {
            case "dial" -> {
                swarm.dial(InfoHash.of(HexFormat.of().parseHex(c[1])), Integer.parseInt(c[2]),
                        new InetSocketAddress(c[3], Integer.parseInt(c[4])));
                return "ok";
            }
            case "churn" -> {
                swarm.churn(Double.parseDouble(c[1]), Long.parseLong(c[2]));
                return "ok";
            }
            case "stopchurn" -> {
                swarm.stopChurn();
                return "ok";
            }
            case "await" -> {
                return String.valueOf(swarm.awaitLive(Integer.parseInt(c[1]), Long.parseLong(c[2])));
            }
            case "redials" -> {
                return swarm.redials() + " " + swarm.unanswered();
            }
            case "stats" -> {
                String v = swarm.violation();
                return swarm.connections() + " " + swarm.churned() + " " + swarm.servedBytes() + " " + cpuNanos()
                        + (v == null ? "" : " " + v.replace('\n', ' '));
            }
            default -> {
                return "error unknown command " + c[0];
            }
        }
    }

    /** This process's CPU (every thread: event loops, GC, JIT), -1 when the JVM cannot tell. */
    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
