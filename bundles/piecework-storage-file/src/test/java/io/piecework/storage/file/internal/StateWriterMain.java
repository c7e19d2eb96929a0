package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Run in a child JVM by {@link StateFileCrashTest}: writes generation after generation of a
 * resume file until killed. Generation g holds pieces {@code 0, 2, 4, ..} below {@code 2g}
 * and g file stamps of (g, g), so a reader can tell a whole state from a torn one.
 */
public final class StateWriterMain {
    private StateWriterMain() {
    }

    static SavedState generation(int g) {
        RoaringBitmap pieces = new RoaringBitmap();
        for (int i = 0; i < 2 * g; i += 2) {
            pieces.add(i);
        }
        List<SavedState.Stamp> stamps = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            stamps.add(new SavedState.Stamp(g, g));
        }
        return new SavedState(InfoHash.of(new byte[20]), pieces, stamps);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int g = Integer.parseInt(args[1]);
        System.out.println("started");
        System.out.flush();
        while (true) {
            // Large generations (tens of kilobytes) make a kill mid-write likely.
            generation(5_000 + (g++ % 20_000)).write(file);
        }
    }
}
