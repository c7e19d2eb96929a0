package io.piecework.session.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files replaced whole or not at all: written to a temporary file beside the target (created
 * new, never through a planted link), forced to disk, then renamed over the target, and the
 * folder forced so the rename itself survives a power cut.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}; when {@code previous} is not null the copy
     * being replaced is kept there (a crash between the two renames leaves no target but a
     * good previous copy, which {@link SessionStore#read()} falls back to).
     */
    static void write(Path target, byte[] bytes, Path previous) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // left by a crash; we hold the session's lock
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        if (previous != null && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(target.getParent());
    }

    /** The file's bytes, refusing one larger than {@code maxBytes} without reading it all. */
    static byte[] read(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new InvalidSessionException(file + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every file system lets a folder be opened; the rename is atomic all the same.
        }
    }
}
