package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes bin/piecework start fast, checked on what ships (no timing: the machine may be
 * busy): the class-data-sharing archive built into lib/ is used, a quick subcommand runs
 * without the engine's jars and leaves no framework storage behind, and runs at once do not
 * clash.
 */
class StartupIT {
    private static final long TIMEOUT_S = 60;

    @TempDir
    Path dir;
    private Path torrent;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void torrent() throws Exception {
        Files.writeString(dir.resolve("payload.txt"), "a small payload for the start tests");
        torrent = dir.resolve("payload.torrent");
        Result r = run(Map.of(), "create", dir.resolve("payload.txt").toString(), "-o", torrent.toString());
        assertEquals(0, r.status(), r.toString());
    }

    private Process start(Map<String, String> env, Path out, Path err, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Distribution.home().resolve("bin/piecework").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("PIECEWORK_LOG");
        pb.environment().remove("PIECEWORK_JAVA_OPTS");
        pb.environment().putAll(env);
        return pb.start();
    }

    private Result finish(Process p, Path out, Path err) throws Exception {
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("bin/piecework did not finish within " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        return finish(start(env, out, err, args), out, err);
    }

    /**
     * The launcher's JIT commands name code by class and method, and the JVM ignores a pattern
     * that matches nothing: a rename would silently drop them (and the CPU they save).
     */
    @Test
    void theLaunchersCompileCommandsNameCodeThatExists() throws Exception {
        String launcher = Files.readString(Distribution.home().resolve("bin/piecework"));
        Matcher m = Pattern.compile("([A-Za-z_][\\w.$]*\\*?)::(\\*|\\w+)").matcher(launcher);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            String type = m.group(1).replace("*", ""); // SHA* is the family SHA, SHA2, SHA5
            String method = m.group(2);
            Class<?> c = Class.forName(type, false, getClass().getClassLoader());
            assertTrue(method.equals("*") || Stream.of(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(method)),
                    m.group() + ": " + type + " has no method " + method);
            named.add(m.group());
        }
        assertTrue(named.contains("io.piecework.core.internal.PeerSession::onPiece"), "found " + named);
    }

    @Test
    void theBuiltClassDataArchivesAreUsed() throws Exception {
        for (String name : List.of("lib/piecework.jsa", "lib/direct.jsa")) {
            assertTrue(Files.isRegularFile(Distribution.home().resolve(name)), "the build made " + name);
        }
        Path log = dir.resolve("class-load.log");
        Result r = run(Map.of("PIECEWORK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "info", torrent.toString());
        assertEquals(0, r.status(), r.toString());
        String loaded = Files.readString(log);
        // The launcher from the application class path, a command's class from its own loader.
        assertTrue(loaded.contains("io.piecework.launcher.Launcher source: shared objects file (top)"), loaded);
        assertTrue(loaded.contains("io.piecework.shell.internal.InfoCommand source: shared objects file (top)"),
                "a bundle's class comes from the archive too");
        // A run through the framework maps the other archive: Felix and a bundle's class.
        Path helpLog = dir.resolve("class-load-help.log");
        r = run(Map.of("PIECEWORK_JAVA_OPTS", "-Xlog:class+load=info:file=" + helpLog), "help");
        assertEquals(0, r.status(), r.toString());
        String help = Files.readString(helpLog);
        assertTrue(help.contains("org.apache.felix.framework.Felix source: shared objects file (top)"), help);
        assertTrue(help.contains("io.piecework.shell.internal.CliRunner source: shared objects file (top)"), help);
    }

    @Test
    void quickSubcommandGoesWithoutTheEnginesJarsAndLeavesNoStorage() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("runtime"));
        Path log = dir.resolve("class-load.log");
        Result r = run(Map.of("XDG_RUNTIME_DIR", runtime.toString(),
                "PIECEWORK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "info", torrent.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("payload.txt"), r.out());
        String loaded = Files.readString(log);
        for (String absent : List.of("org.apache.felix.fileinstall.", "io.piecework.compare.",
                "io.piecework.storage.file.", "io.piecework.strategy.", "io.piecework.core.", "io.netty.",
                "org.eclipse.jetty.", "io.piecework.rpc.")) {
            assertTrue(!loaded.contains(" " + absent), "info loaded " + absent + "*");
        }
        try (Stream<Path> left = Files.list(runtime)) {
            assertEquals(List.of(), left.toList(), "the framework storage is removed at exit");
        }
    }

    /**
     * A subcommand through the framework takes SLF4J from the launcher's class path: it starts
     * no SPI Fly and loads no ASM (their weaving and bundle scans cost a get about a fifth of
     * its start), and the bundles' log lines still come out.
     */
    @Test
    void subcommandsLogThroughSlf4jFromTheClassPathWithoutSpiFly() throws Exception {
        Path log = dir.resolve("class-load-help.log");
        Result r = run(Map.of("PIECEWORK_LOG", "info", "PIECEWORK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("[INFO] GogoCommands - "), "a bundle logged through SLF4J Simple: " + r.err());
        String loaded = Files.readString(log);
        assertTrue(!loaded.contains(" org.apache.aries.spifly."), "help started SPI Fly");
        assertTrue(!loaded.contains(" org.objectweb.asm."), "help loaded ASM");
    }

    /**
     * info, magnet and create need the metainfo service only: the launcher runs them from
     * their jars without starting the OSGi framework (no Felix class, no framework storage),
     * with the same output as through the framework (CliIT checks that).
     */
    @Test
    void metainfoSubcommandsRunWithoutTheFramework() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("runtime"));
        List<List<String>> runs = List.of(List.of("info", torrent.toString()),
                List.of("magnet", torrent.toString()),
                List.of("create", dir.resolve("payload.txt").toString(), "-o", dir.resolve("again.torrent").toString()));
        for (List<String> args : runs) {
            Path log = dir.resolve("class-load-" + args.get(0) + ".log");
            Result r = run(Map.of("XDG_RUNTIME_DIR", runtime.toString(),
                    "PIECEWORK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), args.toArray(String[]::new));
            assertEquals(0, r.status(), r.toString());
            String loaded = Files.readString(log);
            assertTrue(loaded.contains(" io.piecework.shell.internal."), args.get(0) + " ran the shell's command");
            assertTrue(!loaded.contains(" org.apache.felix.framework."), args.get(0) + " started no framework");
            try (Stream<Path> left = Files.list(runtime)) {
                assertEquals(List.of(), left.toList(), "no framework storage was made");
            }
        }
        // The same info dictionary as the one made through the framework (the date differs).
        String again = run(Map.of(), "info", dir.resolve("again.torrent").toString()).out();
        String first = run(Map.of(), "info", torrent.toString()).out();
        assertEquals(first.lines().filter(l -> l.startsWith("info-hash:")).toList(),
                again.lines().filter(l -> l.startsWith("info-hash:")).toList(), again);
    }

    @Test
    void concurrentRunsBothSucceed() throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path[]> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = Files.createTempFile(dir, "out-", ".txt");
            Path err = Files.createTempFile(dir, "err-", ".txt");
            files.add(new Path[] {out, err});
            processes.add(start(Map.of(), out, err, "info", torrent.toString()));
        }
        String first = null;
        for (int i = 0; i < processes.size(); i++) {
            Result r = finish(processes.get(i), files.get(i)[0], files.get(i)[1]);
            assertEquals(0, r.status(), r.toString());
            assertEquals("", r.err());
            if (first == null) {
                first = r.out();
            }
            assertEquals(first, r.out(), "every run prints the same");
        }
    }
}
