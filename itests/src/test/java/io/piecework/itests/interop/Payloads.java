package io.piecework.itests.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes reproducible pseudo-random files quickly (no two blocks alike, so hashes mean something). */
final class Payloads {
    private Payloads() {
    }

    static Path file(Path path, long size, long seed) throws IOException {
        Files.createDirectories(path.getParent());
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = size;
            while (left > 0) {
                buffer.clear();
                while (buffer.remaining() >= 8) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    buffer.putLong(state);
                }
                buffer.flip();
                buffer.limit((int) Math.min(buffer.limit(), left));
                left -= buffer.remaining();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
        return path;
    }
}
