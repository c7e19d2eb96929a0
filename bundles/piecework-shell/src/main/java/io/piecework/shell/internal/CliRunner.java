package io.piecework.shell.internal;

import io.piecework.api.text.Untrusted;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Runs one {@code bin/piecework} subcommand and returns the process exit status: 0 done,
 * 1 failed, 2 bad input or usage. Registered under {@link ToIntFunction} (a JDK type, so the
 * launcher outside the framework can call it) with {@code piecework.cli=true}.
 */
@Component(service = ToIntFunction.class, property = "piecework.cli=true")
public final class CliRunner implements ToIntFunction<String[]> {
    /**
     * The subcommands that run only with the engine and the network (the launcher's
     * piecework.network.subcommands): {@code help} runs without them and lists them from here.
     */
    static final Map<String, String[]> NETWORK = Map.of(
            "get", new String[] {GetCommand.USAGE, GetCommand.SUMMARY},
            "seed", new String[] {SeedCommand.USAGE, SeedCommand.SUMMARY},
            "demo", new String[] {DemoCommand.USAGE, DemoCommand.SUMMARY},
            "loadtest", new String[] {LoadTestCommand.USAGE, LoadTestCommand.SUMMARY});
    private final List<Subcommand> subcommands = new CopyOnWriteArrayList<>();
    private volatile Runnable networkStart;

    // Dynamic: a subcommand whose services are missing simply is not offered.
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSubcommand(Subcommand subcommand) {
        subcommands.add(subcommand);
        synchronized (subcommands) {
            subcommands.notifyAll();
        }
    }

    void removeSubcommand(Subcommand subcommand) {
        subcommands.remove(subcommand);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = EngineWait.NETWORK_START)
    void bindNetworkStart(Runnable start) {
        networkStart = start;
    }

    void unbindNetworkStart(Runnable start) {
        networkStart = null;
    }

    @Override
    public int applyAsInt(String[] args) {
        return run(Arrays.asList(args), Io.system());
    }

    int run(List<String> args, Io io) {
        if (args.isEmpty()) {
            io.err().println("piecework: missing subcommand");
            printHelp(io.err());
            return CliException.BAD_INPUT;
        }
        String name = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            return help(rest, io);
        }
        Optional<Subcommand> command = find(name);
        if (command.isEmpty() && NETWORK.containsKey(name)) {
            command = startNetworkFor(name); // a subcommand that needs the engine to exist (demo)
        }
        if (command.isEmpty() && NETWORK.containsKey(name)) {
            io.err().println("piecework: " + name + " is not available: the engine did not start"
                    + " (PIECEWORK_LOG=info shows why)");
            return CliException.FAILED;
        }
        if (command.isEmpty()) {
            io.err().println("piecework: unknown subcommand '" + Untrusted.text(name, 80) + "'");
            printHelp(io.err());
            return CliException.BAD_INPUT;
        }
        Subcommand c = command.get();
        if (rest.contains("--help") || rest.contains("-h")) {
            io.out().println(usageLine(c));
            return 0;
        }
        try {
            c.run(rest, io);
            return 0;
        } catch (Exception e) {
            CliException failure = Failures.classify(e);
            // The message may quote a torrent, a magnet or a peer: one escaped line.
            io.err().println("piecework: " + Untrusted.text(failure.getMessage()));
            if (failure.usage()) {
                io.err().println(usageLine(c));
            }
            return failure.status();
        }
    }

    private int help(List<String> rest, Io io) {
        if (rest.isEmpty()) {
            printHelp(io.out());
            return 0;
        }
        Optional<Subcommand> c = find(rest.get(0));
        if (c.isEmpty() && rest.size() == 1 && NETWORK.containsKey(rest.get(0))) {
            String[] text = NETWORK.get(rest.get(0));
            io.out().println("usage: piecework " + rest.get(0) + " " + text[0]);
            io.out().println("  " + text[1]);
            return 0;
        }
        if (c.isEmpty() || rest.size() > 1) {
            io.err().println("piecework: no help for '" + Untrusted.text(String.join(" ", rest), 80) + "'");
            printHelp(io.err());
            return CliException.BAD_INPUT;
        }
        io.out().println(usageLine(c.get()));
        io.out().println("  " + c.get().summary());
        return 0;
    }

    /** Starts the network if it waits, then waits (bounded) for the subcommand to register. */
    private Optional<Subcommand> startNetworkFor(String name) {
        Runnable start = networkStart;
        if (start == null) {
            return Optional.empty();
        }
        start.run();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EngineWait.TIMEOUT_MS);
        synchronized (subcommands) {
            Optional<Subcommand> c = find(name);
            long left;
            while (c.isEmpty() && (left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
                try {
                    subcommands.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                c = find(name);
            }
            return c;
        }
    }

    private Optional<Subcommand> find(String name) {
        return subcommands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private void printHelp(java.io.PrintStream out) {
        out.println("usage: piecework                 start the interactive shell");
        out.println("       piecework SUBCOMMAND ...  run one subcommand and exit");
        out.println("       piecework daemon [--config DIR]  run the engine and its saved torrents until SIGTERM");
        out.println("subcommands:");
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        NETWORK.forEach((name, text) -> lines.put(name, text[1]));
        subcommands.forEach(c -> lines.put(c.name(), c.summary()));
        lines.forEach((name, summary) -> out.printf("  %-8s %s%n", name, summary));
        out.printf("  %-8s %s%n", "help", "this text, or 'help SUBCOMMAND' for its usage");
        out.println("exit status: 0 done, 1 failed, 2 bad input or usage");
    }

    static String usageLine(Subcommand c) {
        return "usage: piecework " + c.name() + " " + c.usage();
    }
}
