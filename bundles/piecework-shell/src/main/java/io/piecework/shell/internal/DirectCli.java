package io.piecework.shell.internal;

import io.piecework.api.metainfo.MetainfoService;
import java.util.ServiceLoader;
import java.util.function.ToIntFunction;

/**
 * The subcommands that need the metainfo service and nothing else (info, magnet, create),
 * wired by hand for the launcher, which runs them from the api, bencode, metainfo and shell
 * jars without starting the OSGi framework: a start of the framework cost three quarters of
 * an {@code info}. The metainfo service comes from {@link ServiceLoader} (its bundle lists
 * it in {@code META-INF/services}), the commands are the DS components the framework would
 * wire, so both ways run the same code.
 */
public final class DirectCli implements ToIntFunction<String[]> {
    @Override
    public int applyAsInt(String[] args) {
        MetainfoService metainfo = ServiceLoader.load(MetainfoService.class, DirectCli.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no MetainfoService on the class path"));
        CliRunner runner = new CliRunner();
        runner.addSubcommand(new InfoCommand(metainfo));
        runner.addSubcommand(new MagnetCommand(metainfo));
        runner.addSubcommand(new CreateCommand(metainfo));
        return runner.applyAsInt(args);
    }
}
