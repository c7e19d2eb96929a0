package io.piecework.webseed.internal;

import io.piecework.api.metainfo.FileEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a range of the torrent's bytes (pieces laid end to end over its files) onto the files
 * it covers: one segment per file, in order. Pad files (BEP 47) are segments too; their zeros
 * are never asked of a server.
 */
final class RangeMap {
    /** {@code length} bytes of file number {@code file}, from {@code offset} within that file. */
    record Segment(int file, long offset, long length) {
    }

    private final List<FileEntry> files;
    private final long total;

    RangeMap(List<FileEntry> files) {
        this.files = List.copyOf(files);
        FileEntry last = files.isEmpty() ? null : files.get(files.size() - 1);
        this.total = last == null ? 0 : last.offset() + last.length();
    }

    long totalSize() {
        return total;
    }

    FileEntry file(int index) {
        return files.get(index);
    }

    /** @throws IllegalArgumentException when the range is not inside the torrent */
    List<Segment> segments(long start, long length) {
        if (start < 0 || length <= 0 || start + length > total) {
            throw new IllegalArgumentException("range " + start + "+" + length + " outside the torrent's " + total + " bytes");
        }
        List<Segment> out = new ArrayList<>(2);
        int i = first(start);
        long at = start;
        long end = start + length;
        for (; at < end; i++) {
            FileEntry f = files.get(i);
            long fileEnd = f.offset() + f.length();
            if (f.length() == 0 || fileEnd <= at) {
                continue;
            }
            long take = Math.min(end, fileEnd) - at;
            out.add(new Segment(i, at - f.offset(), take));
            at += take;
        }
        return out;
    }

    /** The last file starting at or before {@code offset}: a binary search over the offsets. */
    private int first(long offset) {
        int lo = 0;
        int hi = files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (files.get(mid).offset() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // Zero-length files share their offset with the next one: the loop steps over them.
        while (lo > 0 && files.get(lo - 1).offset() == files.get(lo).offset()) {
            lo--;
        }
        return lo;
    }
}
