package io.piecework.shell.internal;

import io.piecework.loadtest.LoadTest;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code piecework loadtest}: the engine as shipped against in-process fake peers on loopback. */
@Component(property = Subcommand.PROPERTY + "=loadtest")
public final class LoadTestCommand implements Subcommand {
    // Compile-time constants: the runner lists them even when the load test bundle is absent.
    static final String USAGE = LoadTest.USAGE;
    static final String SUMMARY = "download generated torrents from fake peers on loopback with each strategy, and report the engine's lock and CPU figures";
    private final LoadTest loadTest;

    @Activate
    public LoadTestCommand(@Reference LoadTest loadTest) {
        this.loadTest = loadTest;
    }

    @Override
    public String name() {
        return "loadtest";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String summary() {
        return SUMMARY;
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        try {
            loadTest.run(args, io.out(), io.err(), io.cwd());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (IllegalStateException e) {
            throw CliException.failed(e.getMessage());
        }
    }
}
