package io.piecework.itests.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs libtorrent-rasterbar (Debian's python3-libtorrent, under /usr/bin/python3 because
 * another python may shadow python3) as the independent reference. Each call is bounded.
 */
final class Libtorrent {
    static final String PYTHON = "/usr/bin/python3";

    private Libtorrent() {
    }

    /**
     * Copies a script from the test resources to {@code dir}, with the {@code ltcommon.py} it
     * may import, and returns its path.
     */
    static Path script(String name, Path dir) throws IOException {
        copy("ltcommon.py", dir);
        return copy(name, dir);
    }

    private static Path copy(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = Libtorrent.class.getResourceAsStream("/python/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource python/" + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Runs the script and returns its {@code key=value} lines, several values per key kept in order. */
    static Map<String, List<String>> run(Path script, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read output on a separate thread so a chatty process cannot block on a full pipe.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process died; its exit status says so
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("libtorrent did not finish within " + timeoutSeconds + " s: " + command);
        }
        reader.join(10_000);
        if (process.exitValue() != 0) {
            throw new AssertionError("libtorrent failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : output.toString().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith(" ")) {
                values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return values;
    }

    static String one(Map<String, List<String>> values, String key) {
        List<String> v = values.get(key);
        if (v == null || v.size() != 1) {
            throw new AssertionError("expected one '" + key + "' from libtorrent, got " + v + " in " + values);
        }
        return v.get(0);
    }
}
