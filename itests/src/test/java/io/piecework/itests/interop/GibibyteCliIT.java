package io.piecework.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.itests.Distribution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check at full size: {@code bin/piecework create} on a 1 GiB folder, then
 * {@code bin/piecework info}, agree with libtorrent, which also re-hashes every piece of
 * the data against the torrent.
 */
class GibibyteCliIT {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void createAndInfoOnAGibibyteFolderAgreeWithLibtorrent() throws Exception {
        Path folder = dir.resolve("gibibyte");
        Payloads.file(folder.resolve("disc1.iso"), 700 * MIB, 31);
        Payloads.file(folder.resolve("disc2/part.bin"), 300 * MIB + 99, 32);
        Payloads.file(folder.resolve("disc2/readme.txt"), 24 * MIB - 99, 33);
        Path torrent = dir.resolve("gibibyte.torrent");

        cli("create", folder.toString(), "-o", torrent.toString());
        String info = cli("info", torrent.toString());

        Path script = Libtorrent.script("lt_meta.py", dir);
        Map<String, List<String>> lt = Libtorrent.run(script, 120, "dump", torrent.toString());
        assertEquals(Libtorrent.one(lt, "info_hash"), field(info, "info-hash"));
        assertEquals(Libtorrent.one(lt, "name"), field(info, "name"));
        assertEquals(Long.parseLong(Libtorrent.one(lt, "total_size")), bytesIn(field(info, "total size")));
        assertEquals(Long.parseLong(Libtorrent.one(lt, "num_pieces")),
                Long.parseLong(field(info, "pieces").split(" ")[0]));

        Map<String, List<String>> check = Libtorrent.run(script, 600, "check", torrent.toString(), dir.toString());
        assertEquals(Libtorrent.one(check, "num_pieces"), Libtorrent.one(check, "have_pieces"),
                "libtorrent found every piece of the data matching our hashes");
    }

    private static String cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Distribution.home().resolve("bin/piecework").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/piecework " + args[0] + " took over 300 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "bin/piecework " + String.join(" ", args) + ":\n" + text);
        return text;
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no '" + name + "' line in:\n" + text);
    }

    /** "1.0 GiB (1073741824 bytes)" gives 1073741824. */
    private static long bytesIn(String size) {
        return Long.parseLong(size.substring(size.indexOf('(') + 1, size.indexOf(" bytes")));
    }
}
