package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a torrent's resume file holds: the verified pieces and, per file, the size and
 * modification time seen when they were saved. A bencoded dictionary, written to a temporary
 * file, forced to disk and renamed over the old one, so a crash leaves the old or the new.
 *
 * @param files one stamp per torrent file, in torrent order ({@code size = -1}: missing)
 */
record SavedState(InfoHash infoHash, RoaringBitmap pieces, List<Stamp> files) {
    static final int VERSION = 1;
    /** Far above a real record (a bitmap of at most a few million pieces, two numbers per file). */
    private static final long MAX_BYTES = 1L << 28;

    /** A file's size and modification time in milliseconds; size -1 when it did not exist. */
    record Stamp(long size, long modified) {
        static final Stamp MISSING = new Stamp(-1, 0);
        /** Matches no file: its pieces are verified again on the next open. */
        static final Stamp UNCHECKED = new Stamp(-2, 0);
    }

    byte[] encode() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("version", (long) VERSION);
        dict.put("info-hash", infoHash.bytes());
        ByteBuffer bits = ByteBuffer.allocate(pieces.serializedSizeInBytes());
        pieces.serialize(bits);
        dict.put("pieces", bits.array());
        List<Object> stamps = new ArrayList<>(files.size());
        for (Stamp stamp : files) {
            stamps.add(List.of(stamp.size(), stamp.modified()));
        }
        dict.put("files", stamps);
        return Bencode.encodeObject(dict);
    }

    static SavedState decode(byte[] bytes) throws IOException {
        try {
            BValue value = Bencode.decode(bytes);
            if (!(value instanceof BDictionary dict)) {
                throw new IOException("resume data is not a dictionary");
            }
            long version = dict.integer("version").map(BInteger::value).orElse(-1L);
            if (version != VERSION) {
                throw new IOException("resume data version " + version + " is not " + VERSION);
            }
            InfoHash hash = InfoHash.of(dict.string("info-hash").orElseThrow(() -> new IOException("no info-hash")).bytes());
            RoaringBitmap pieces = new RoaringBitmap();
            pieces.deserialize(dict.string("pieces").orElseThrow(() -> new IOException("no pieces")).buffer());
            List<Stamp> stamps = new ArrayList<>();
            for (BValue item : dict.list("files").orElseThrow(() -> new IOException("no files")).items()) {
                BList pair = (BList) item;
                stamps.add(new Stamp(((BInteger) pair.get(0)).value(), ((BInteger) pair.get(1)).value()));
            }
            return new SavedState(hash, pieces, List.copyOf(stamps));
        } catch (BencodeException | RuntimeException e) {
            throw new IOException("resume data is damaged: " + e.getMessage(), e);
        }
    }

    /** Reads the file (not through a link); empty if there is none. Throws when it cannot be parsed. */
    static Optional<SavedState> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (channel.size() > MAX_BYTES) {
                throw new IOException("resume data of " + channel.size() + " bytes is larger than any torrent needs");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // until full or at the end
            }
            return Optional.of(decode(Arrays.copyOf(bytes.array(), bytes.position())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes atomically: temp file, force, rename over the old file. The temporary is created
     * afresh ({@code CREATE_NEW}, never through a link; a stale one from a crash is deleted
     * first, and a link is deleted, not followed), and the rename replaces a link at the
     * final name instead of writing through it.
     */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer data = ByteBuffer.wrap(encode());
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
