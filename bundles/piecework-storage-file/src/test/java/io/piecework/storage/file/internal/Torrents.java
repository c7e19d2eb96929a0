package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds torrents in code with random content and the right piece hashes. */
final class Torrents {
    /** A file to put in a test torrent; {@code pad} marks a BEP 47 pad file. */
    record Spec(List<String> path, long length, boolean pad) {
        static Spec file(long length, String... path) {
            return new Spec(List.of(path), length, false);
        }

        static Spec pad(long length) {
            return new Spec(List.of(".pad", String.valueOf(length)), length, true);
        }
    }

    /** A torrent and its data. */
    record Built(TorrentMetainfo metainfo, byte[] content) {
        byte[] piece(int index) {
            long start = index * metainfo.pieceLength();
            return Arrays.copyOfRange(content, (int) start, (int) (start + metainfo.pieceSize(index)));
        }

        byte[] file(int index) {
            FileEntry f = metainfo.files().get(index);
            return Arrays.copyOfRange(content, (int) f.offset(), (int) (f.offset() + f.length()));
        }
    }

    private Torrents() {
    }

    static Built multi(String name, long pieceLength, long seed, Spec... specs) {
        return build(name, true, pieceLength, seed, specs);
    }

    static Built single(String name, long pieceLength, long length, long seed) {
        return build(name, false, pieceLength, seed, Spec.file(length, name));
    }

    static Built build(String name, boolean multi, long pieceLength, long seed, Spec... specs) {
        List<FileEntry> files = new ArrayList<>();
        long offset = 0;
        for (Spec spec : specs) {
            files.add(new FileEntry(spec.path(), spec.length(), offset, spec.pad()));
            offset += spec.length();
        }
        byte[] content = new byte[(int) offset];
        new Random(seed).nextBytes(content);
        for (FileEntry f : files) {
            if (f.padding()) {
                Arrays.fill(content, (int) f.offset(), (int) (f.offset() + f.length()), (byte) 0);
            }
        }
        int pieces = (int) ((offset + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * 20];
        try {
            for (int i = 0; i < pieces; i++) {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                int start = (int) (i * pieceLength);
                sha1.update(content, start, (int) Math.min(pieceLength, offset - start));
                System.arraycopy(sha1.digest(), 0, hashes, i * 20, 20);
            }
            byte[] hash = MessageDigest.getInstance("SHA-1").digest((name + seed).getBytes());
            TorrentMetainfo metainfo = new TorrentMetainfo(InfoHash.of(hash), name, pieceLength, hashes, files, multi,
                    List.of(), List.of(), false, null, null, null, new byte[0]);
            return new Built(metainfo, content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
