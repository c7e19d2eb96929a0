package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/piecework info fed hostile BEP 52 file trees with the heap capped at 256 MiB: a tree
 * nests a dictionary per path component and names are dictionary keys (raw bytes), so the
 * v1 bounds must hold for trees too, each refusal one line naming the field.
 */
class V2HostileInputCliIT {
    private static final long TIMEOUT_S = 120;
    private static final String CAPPED_HEAP = "-Xmx256m";

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    private Result info(String torrent) throws Exception {
        Path out = Files.createTempFile("piecework-out-", ".txt");
        Path err = Files.createTempFile("piecework-err-", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(Distribution.home().resolve("bin/piecework").toString(), "info",
                    torrent).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("PIECEWORK_LOG");
            pb.environment().put("PIECEWORK_JAVA_OPTS", CAPPED_HEAP);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("bin/piecework info " + torrent + " did not finish within " + TIMEOUT_S + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void assertBadInput(Result r, String expected) {
        assertEquals(2, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("OutOfMemoryError") || r.err().contains("StackOverflowError"), r.err());
    }

    @Test
    void legacyNamesThatTripleWhenSanitisedAreRefusedByTheTotalPathLimit() throws Exception {
        write("legacy.torrent", v2(tree(6000, 12, (byte) 0xff)));
        assertBadInput(info("legacy.torrent"), "exceed the limit of 16777216 bytes in all");
    }

    @Test
    void aTreeJustInsideThePathLimitsIsReadWithAHeapOf256MiB() throws Exception {
        write("big.torrent", v2(tree(5000, 12, (byte) 0xfe)));
        Result r = info("big.torrent");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("version:      v2\n"), r.out().lines().limit(8).toList()::toString);
        assertTrue(r.out().contains("files:        5000 (in folder hostile)"), r.out().lines().limit(12).toList()::toString);
    }

    @Test
    void aTreeThousandsOfFoldersDeepIsRefusedWithoutStackOverflow() throws Exception {
        write("deep.torrent", v2(tree(1, 5000, (byte) 'a')));
        assertBadInput(info("deep.torrent"), "nesting deeper than 136");
    }

    @Test
    void millionsOfValuesInATreeAreRefusedByTheValueLimit() throws Exception {
        write("values.torrent", v2(tree(150_000, 0, (byte) 'a')));
        assertBadInput(info("values.torrent"), "more than 1048576 values");
    }

    private void write(String name, byte[] bytes) throws Exception {
        Files.write(dir.resolve(name), bytes);
    }

    /** A v2-only torrent named "hostile" around the given bencoded file tree. */
    private static byte[] v2(byte[] tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tree.length + 200);
        out.writeBytes("d4:infod9:file tree".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tree);
        out.writeBytes("12:meta versioni2e4:name7:hostile12:piece lengthi16384eee".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /**
     * {@code files} one-byte files, each in a top folder of its own ("f" and 7 digits, so keys
     * sort) under which {@code depth} folders of 80 bytes of {@code fill} lead to the file.
     */
    private static byte[] tree(int files, int depth, byte fill) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] name = new byte[80];
        Arrays.fill(name, fill);
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) 1);
        out.write('d');
        for (int i = 0; i < files; i++) {
            key(out, String.format("f%07d", i).getBytes(StandardCharsets.ISO_8859_1));
            for (int d = 0; d < depth; d++) {
                out.write('d');
                key(out, name);
            }
            out.writeBytes("d0:d6:lengthi1e11:pieces root32:".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(root);
            out.writeBytes("ee".getBytes(StandardCharsets.ISO_8859_1));
            for (int d = 0; d < depth; d++) {
                out.write('e');
            }
        }
        out.write('e');
        return out.toByteArray();
    }

    private static void key(ByteArrayOutputStream out, byte[] key) {
        out.writeBytes((key.length + ":").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(key);
    }
}
