package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code .torrent} a magnet link's metadata becomes, written beside its download. */
final class MetadataFile {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFile.class);

    private MetadataFile() {
    }

    /**
     * Saves the metadata as {@code NAME.torrent}. NAME comes from a peer and the folder may hold
     * anything, so: the temporary is a fresh name created exclusively (never through a link),
     * and an existing file is never replaced: one with the same bytes is kept as it is, else
     * the metadata goes to {@code NAME.<info-hash prefix>.torrent} (a hard link publishes it,
     * which fails rather than replaces), and a warning says where.
     *
     * @param name the torrent as logs name it
     */
    static void save(Path downloadDir, String fileName, InfoHash infoHash, byte[] bytes, String name)
            throws IOException {
        Files.createDirectories(downloadDir);
        Path wanted = downloadDir.resolve(fileName + ".torrent");
        Path other = downloadDir.resolve(fileName + "." + infoHash.hex().substring(0, 8) + ".torrent");
        Path tmp = Files.createTempFile(downloadDir, ".piecework-metadata-", ".part");
        try {
            Files.write(tmp, bytes, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            for (Path file : List.of(wanted, other)) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(bytes, Files.readAllBytes(file))) {
                    return; // saved by an earlier run
                }
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    continue;
                } catch (UnsupportedOperationException | IOException e) {
                    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Files.move(tmp, file); // no hard links here: a move, still never over a file
                }
                if (file == other) {
                    LOG.warn("{}: {} exists and is not this torrent; its metadata is saved as {}", name, wanted, other);
                }
                return;
            }
            LOG.warn("{}: {} and {} exist and are not this torrent; its metadata is not saved", name, wanted, other);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
