package io.piecework.shell.internal;

import io.piecework.compare.Comparison;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code piecework compare}: the installed request strategies on one simulated swarm. */
@Component(property = Subcommand.PROPERTY + "=compare")
public final class CompareCommand implements Subcommand {
    private final Comparison comparison;

    @Activate
    public CompareCommand(@Reference Comparison comparison) {
        this.comparison = comparison;
    }

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String usage() {
        return Comparison.USAGE;
    }

    @Override
    public String summary() {
        return "compare the installed request strategies on a simulated swarm";
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        try {
            comparison.run(args, io.out(), io.err(), io.cwd());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (IllegalStateException e) {
            throw CliException.failed(e.getMessage());
        }
    }
}
