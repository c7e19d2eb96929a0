package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLocationTest {
    @TempDir
    Path dir;

    private final InfoHash hash = InfoHash.of(new byte[20]);

    @Test
    void theStateHomePropertyMovesTheDefaultFolder() {
        String before = System.getProperty(StateLocation.STATE_HOME_PROPERTY);
        System.setProperty(StateLocation.STATE_HOME_PROPERTY, dir.toString());
        try {
            assertEquals(dir.resolve("piecework/resume"), StateLocation.defaultDir());
        } finally {
            if (before == null) {
                System.clearProperty(StateLocation.STATE_HOME_PROPERTY);
            } else {
                System.setProperty(StateLocation.STATE_HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void testsKeepTheDefaultFolderOutOfTheRealHome() {
        // The build sets XDG_STATE_HOME below target/ for every test JVM.
        assertTrue(StateLocation.defaultDir().toString().contains("target"), StateLocation.defaultDir().toString());
    }

    @Test
    void oneTorrentInTwoFoldersHasTwoRecords() {
        Path a = StateLocation.file(dir, hash, dir.resolve("a"));
        Path b = StateLocation.file(dir, hash, dir.resolve("b"));
        assertNotEquals(a, b);
        assertTrue(a.getFileName().toString().startsWith(hash.hex() + "-"), a.toString());
        assertEquals(dir, a.getParent());
    }

    @Test
    void everySpellingOfAFolderHasTheSameRecord() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path before = StateLocation.file(dir, hash, real.resolve("new"));
        assertEquals(before, StateLocation.file(dir, hash, link.resolve("new")), "through a link");
        assertEquals(before, StateLocation.file(dir, hash, real.resolve("x/../new")), "not normalised");
        Files.createDirectory(real.resolve("new"));
        assertEquals(before, StateLocation.file(dir, hash, real.resolve("new")), "before and after it exists");
    }
}
