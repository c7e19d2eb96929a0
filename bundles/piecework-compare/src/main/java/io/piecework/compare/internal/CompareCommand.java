package io.piecework.compare.internal;

import io.piecework.compare.Comparison;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code piecework:compare} in the Gogo shell, with the arguments of {@code piecework compare}.
 * Relative file names resolve against the session's current folder.
 */
@Component(service = CompareCommand.class, property = {
    "osgi.command.scope=piecework",
    "osgi.command.function=compare"})
public final class CompareCommand {
    private final Comparison comparison;

    @Activate
    public CompareCommand(@Reference Comparison comparison) {
        this.comparison = comparison;
    }

    public void compare(CommandSession session, String... args) throws Exception {
        Path cwd = session.currentDir();
        try {
            comparison.run(List.of(args), System.out, System.err, cwd == null ? Path.of("").toAbsolutePath() : cwd);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\nusage: piecework:compare " + Comparison.USAGE, e);
        }
    }
}
