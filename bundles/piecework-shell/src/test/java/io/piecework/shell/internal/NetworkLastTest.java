package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.metainfo.internal.MetainfoComponent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** get and seed start the network (engine, DHT, trackers) only for input that checked out. */
class NetworkLastTest {
    @TempDir
    Path dir;
    private final AtomicInteger starts = new AtomicInteger();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Subcommand command, String... args) {
        CliRunner runner = new CliRunner();
        runner.addSubcommand(command);
        runner.bindNetworkStart(starts::incrementAndGet);
        err.reset();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return runner.run(List.of(args), new Io(e, e, false, dir));
    }

    private GetCommand get() {
        GetCommand get = new GetCommand(new MetainfoComponent());
        get.bindNetworkStart(starts::incrementAndGet);
        return get;
    }

    @Test
    void badInputNeverStartsTheNetwork() throws Exception {
        Files.writeString(dir.resolve("cut.torrent"), "d4:info");
        assertEquals(2, run(get(), "get", "missing.torrent"));
        assertEquals(2, run(get(), "get", "cut.torrent"));
        assertEquals(2, run(get(), "get", "magnet:?xt=urn:btih:nothex"));
        assertEquals(2, run(get(), "get", "MAGNET:?XT=urn:btih:nothex"));
        assertEquals(2, run(get(), "get", "x.torrent", "--peer", "localhost"));
        SeedCommand seed = new SeedCommand(new MetainfoComponent());
        seed.bindNetworkStart(starts::incrementAndGet);
        assertEquals(2, run(seed, "seed", "cut.torrent", "--data", "."));
        assertEquals(0, starts.get(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSubcommandThatNeedsTheEngineToExistStartsTheNetworkThenRuns() {
        // demo registers only once the engine runs: the runner starts the network and waits for it.
        CliRunner runner = new CliRunner();
        AtomicInteger ran = new AtomicInteger();
        runner.bindNetworkStart(() -> {
            starts.incrementAndGet();
            runner.addSubcommand(new Subcommand() {
                @Override
                public String name() {
                    return "demo";
                }

                @Override
                public String usage() {
                    return "";
                }

                @Override
                public String summary() {
                    return "";
                }

                @Override
                public void run(List<String> args, Io io) {
                    ran.incrementAndGet();
                }
            });
        });
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, runner.run(List.of("demo"), new Io(e, e, false, dir)), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, starts.get());
        assertEquals(1, ran.get());
    }
}
