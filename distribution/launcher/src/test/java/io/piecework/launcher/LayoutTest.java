package io.piecework.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutTest {
    @TempDir
    Path home;

    /**
     * Install order is start order within a level, and stop order reversed: the peer sources come
     * after the transports, so the DHT finds uTP's shared socket at start and is gone before it at exit.
     */
    @Test
    void peerSourcesAreInstalledAfterTheRestOfTheirLevel() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/config.properties"),
                Layout.LATE_JARS + "=piecework-tracker-*.jar,piecework-dht-*.jar\n");
        Files.createDirectories(home.resolve("system"));
        Files.createFile(home.resolve("system/org.apache.felix.scr-2.2.18.jar"));
        Path bundles = Files.createDirectories(home.resolve("bundle"));
        for (String name : List.of("piecework-core-1.jar", "piecework-dht-1.jar", "piecework-tracker-1.jar",
                "piecework-transport-tcp-1.jar", "piecework-transport-utp-1.jar", "piecework-wire-1.jar")) {
            Files.createFile(bundles.resolve(name));
        }
        List<String> order = Layout.unread(home, "", false, "").stream()
                .map(j -> j.path().getFileName() + "@" + j.startLevel()).toList();
        assertEquals(List.of("org.apache.felix.scr-2.2.18.jar@2", "piecework-core-1.jar@3",
                "piecework-transport-tcp-1.jar@3", "piecework-transport-utp-1.jar@3", "piecework-wire-1.jar@3",
                "piecework-dht-1.jar@3", "piecework-tracker-1.jar@3"), order);
    }
}
