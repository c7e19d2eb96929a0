package io.piecework.storage.file.internal;

import static io.piecework.storage.file.internal.Torrents.Spec.file;
import static io.piecework.storage.file.internal.Torrents.Spec.pad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileLayoutTest {
    private static final Path DIR = Path.of("/downloads");

    @Test
    void findsTheFileHoldingAByteSkippingEmptyFiles() throws Exception {
        Torrents.Built t = Torrents.multi("t", 16, 1, file(10, "a"), file(0, "empty"), file(7, "b"), file(20, "c"));
        FileLayout layout = FileLayout.of(t.metainfo(), DIR);
        assertEquals(0, layout.fileAt(0));
        assertEquals(0, layout.fileAt(9));
        assertEquals(2, layout.fileAt(10), "the empty file starting at 10 holds no byte");
        assertEquals(2, layout.fileAt(16));
        assertEquals(3, layout.fileAt(17));
        assertEquals(3, layout.fileAt(36));
        assertEquals(17, layout.start(3));
        assertEquals(20, layout.length(3));
    }

    @Test
    void mapsPiecesToTheFilesTheyTouch() throws Exception {
        Torrents.Built t = Torrents.multi("t", 16, 1, file(10, "a"), file(0, "empty"), file(7, "b"), file(20, "c"));
        FileLayout layout = FileLayout.of(t.metainfo(), DIR);
        assertEquals((0L << 32) | 2, layout.filesOfPiece(0));
        assertEquals((2L << 32) | 3, layout.filesOfPiece(1));
        assertEquals((3L << 32) | 3, layout.filesOfPiece(2));
    }

    @Test
    void placesMultiFileTorrentsInTheirFolderAndPadFilesNowhere() throws Exception {
        Torrents.Built t = Torrents.multi("t", 16, 1, file(10, "d", "a"), pad(6), file(7, "b"));
        FileLayout layout = FileLayout.of(t.metainfo(), DIR);
        assertEquals(DIR.resolve("t"), layout.root());
        assertEquals(DIR.resolve("t/d/a"), layout.path(0));
        assertNull(layout.path(1));
        assertEquals(DIR.resolve("t/b"), layout.path(2));
    }

    @Test
    void placesASingleFileInTheDownloadFolder() throws Exception {
        Torrents.Built t = Torrents.single("one.bin", 16, 40, 1);
        FileLayout layout = FileLayout.of(t.metainfo(), DIR);
        assertEquals(DIR, layout.root());
        assertEquals(DIR.resolve("one.bin"), layout.path(0));
    }
}
