package io.piecework.api.storage;

import java.nio.channels.FileChannel;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A block that lies in one file, lent out so it can be sent straight from that file
 * ({@code FileChannel.transferTo}, sendfile on Linux) instead of being copied through memory.
 * The storage keeps the file open until the block is closed, whatever else it closes meanwhile;
 * close it exactly once, when the bytes have been sent or the send was dropped.
 */
@ProviderType
public interface FileBlock extends AutoCloseable {
    /** The open file; do not close it. */
    FileChannel channel();

    /** Where the block starts in the file. */
    long position();

    int length();

    /** Hands the file back; later calls do nothing. */
    @Override
    void close();
}
