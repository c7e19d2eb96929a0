package io.piecework.shell.internal;

import java.nio.file.Path;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code piecework:info}, {@code piecework:create} and {@code piecework:magnet} in the Gogo
 * shell: the CLI subcommands with the same arguments. Plain public methods taking the
 * session (Gogo passes it first, for its current folder) and {@code String...}. Immediate,
 * so the shell finds the commands (and the log says so) as soon as the subcommands are there.
 */
@Component(service = GogoCommands.class, immediate = true, property = {
    "osgi.command.scope=piecework",
    "osgi.command.function=info",
    "osgi.command.function=create",
    "osgi.command.function=magnet"})
public final class GogoCommands {
    private static final Logger LOG = LoggerFactory.getLogger(GogoCommands.class);
    private final Subcommand info;
    private final Subcommand create;
    private final Subcommand magnet;

    @Activate
    public GogoCommands(
            @Reference(name = "info", target = "(" + Subcommand.PROPERTY + "=info)") Subcommand info,
            @Reference(name = "create", target = "(" + Subcommand.PROPERTY + "=create)") Subcommand create,
            @Reference(name = "magnet", target = "(" + Subcommand.PROPERTY + "=magnet)") Subcommand magnet) {
        this.info = info;
        this.create = create;
        this.magnet = magnet;
        LOG.info("Gogo commands piecework:info, piecework:create and piecework:magnet are available");
    }

    public void info(CommandSession session, String... args) throws Exception {
        run(info, session, args);
    }

    public void create(CommandSession session, String... args) throws Exception {
        run(create, session, args);
    }

    public void magnet(CommandSession session, String... args) throws Exception {
        run(magnet, session, args);
    }

    private static void run(Subcommand c, CommandSession session, String[] args) throws Exception {
        try {
            Path cwd = session.currentDir();
            c.run(List.of(args), cwd == null ? Io.system() : Io.system(cwd));
        } catch (Exception e) {
            CliException failure = Failures.classify(e);
            throw new ShellError(failure.usage()
                    ? failure.getMessage() + "\n" + CliRunner.usageLine(c) : failure.getMessage());
        }
    }

    /** Gogo prints a failed command's exception with toString(): make that the plain message. */
    static final class ShellError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShellError(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return "piecework: " + getMessage();
        }
    }
}
