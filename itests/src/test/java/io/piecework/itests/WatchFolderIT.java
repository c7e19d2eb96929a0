package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.support.Daemon;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch folder in the daemon, through FileInstall: a .torrent dropped in is added into the
 * configured folder and renamed .added; a broken one is renamed .invalid with a log line saying
 * why, and the daemon runs on and takes the next file.
 */
class WatchFolderIT {
    private static final int PIECE = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void aDroppedTorrentIsAddedAndRenamedAndABrokenOneIsSetAside() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] bytes = new byte[10 * PIECE];
        new SplittableRandom(5).nextBytes(bytes);
        Path file = Files.write(data.resolve("w.bin"), bytes);
        TorrentMetainfo meta = TorrentCreator.create(new CreateRequest(file, PIECE, List.of(), List.of(), false, null, 1),
                CreateProgress.NONE);
        Path watch = Files.createDirectories(dir.resolve("watch"));
        Daemon.Config config = Daemon.config(dir);
        Files.writeString(config.folder().resolve("io.piecework.watch.cfg"),
                "dir=" + watch + "\ndownload.dir=" + data + "\nafter=rename\npoll.ms=200\n");

        Process daemon = Daemon.start(dir, List.of("daemon", "--config", config.folder().toString()), dir);
        try {
            Daemon.Log log = new Daemon.Log(daemon);
            log.await(Pattern.compile("watch: watching " + Pattern.quote(watch.toString())));

            // Written beside the folder and moved in, as a browser's download finishes.
            drop(watch, "broken.torrent", "d4:infod6:lengthi-5eee".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            log.await(Pattern.compile("watch: broken\\.torrent is not a usable \\.torrent \\(.+\\): renamed to broken\\.torrent\\.invalid"));
            assertTrue(Files.isRegularFile(watch.resolve("broken.torrent.invalid")));
            assertFalse(Files.exists(watch.resolve("broken.torrent")));

            drop(watch, "w.torrent", MetainfoWriter.write(meta));
            log.await(Pattern.compile("watch: added w\\.torrent \\(" + meta.infoHash().hex() + "\\)"));
            assertEquals("10 of 10 pieces on disk, seeding",
                    log.await(Pattern.compile("w\\.bin: (\\d+ of \\d+ pieces on disk, \\w+)")).group(1),
                    "added into the configured folder, where its data is");
            Conditions.await(TimeUnit.SECONDS.toMillis(30), () -> Files.isRegularFile(watch.resolve("w.torrent.added")),
                    "renamed .added");
            assertFalse(Files.exists(watch.resolve("w.torrent")));
            assertTrue(daemon.isAlive(), "the daemon runs on");
        } finally {
            Daemon.kill(daemon);
        }
    }

    private void drop(Path watch, String name, byte[] bytes) throws Exception {
        Path outside = Files.write(dir.resolve(name + ".part"), bytes);
        Files.move(outside, watch.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
