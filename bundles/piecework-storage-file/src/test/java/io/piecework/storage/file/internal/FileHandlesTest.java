package io.piecework.storage.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's cache of open files, shared by every torrent and every disk thread. */
class FileHandlesTest {
    @TempDir
    Path dir;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    /**
     * A file that is slow to open (a sleeping disk, a network mount) must not stall reads and
     * writes of other files already open: every disk thread of every torrent goes through the
     * same cache.
     */
    @Test
    void aSlowOpenDoesNotBlockIoOnOtherFiles() throws Exception {
        Path fast = dir.resolve("fast");
        Path slow = dir.resolve("slow");
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch letOpen = new CountDownLatch(1);
        Disk disk = (path, options) -> {
            if (path.equals(slow)) {
                opening.countDown();
                try {
                    letOpen.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return FileChannel.open(path, options);
        };
        FileHandles handles = new FileHandles(disk, 16, false);
        handles.release(handles.acquire(fast, true));
        Future<?> slowOpen = threads.submit(() -> {
            handles.release(handles.acquire(slow, true));
            return null;
        });
        assertTrue(opening.await(30, TimeUnit.SECONDS));
        Future<?> fastUse = threads.submit(() -> {
            FileHandles.Handle h = handles.acquire(fast, true);
            try {
                h.channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            } finally {
                handles.release(h);
            }
            return null;
        });
        try {
            fastUse.get(10, TimeUnit.SECONDS);
        } finally {
            letOpen.countDown();
        }
        slowOpen.get(30, TimeUnit.SECONDS);
        assertEquals(3, Files.size(fast));
        handles.closeAll();
        assertEquals(0, handles.openCount());
    }

    /**
     * Many threads on more files than may be open: no file is closed while in use, the bound
     * holds once the users are gone, and everything closes at the end.
     */
    @Test
    void manyThreadsOnMoreFilesThanMayBeOpen() throws Exception {
        int files = 24;
        int maxOpen = 4;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(dir.resolve("f" + i));
        }
        AtomicInteger closedInUse = new AtomicInteger();
        FileHandles handles = new FileHandles(FileChannel::open, maxOpen, false);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            work.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 2_000; i++) {
                    Path path = paths.get(random.nextInt(files));
                    FileHandles.Handle h = handles.acquire(path, random.nextInt(4) != 0 || !Files.exists(path));
                    try {
                        if (!h.channel.isOpen()) {
                            closedInUse.incrementAndGet();
                        }
                        h.channel.size();
                        if (i % 97 == 0) {
                            handles.closeIdle(0);
                        }
                    } finally {
                        handles.release(h);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(0, closedInUse.get(), "handles closed under their users");
        assertTrue(handles.openCount() <= maxOpen, "open files: " + handles.openCount());
        handles.closeAll();
        assertEquals(0, handles.openCount());
    }

    /**
     * Making room sorts the unused files by their last use while other threads keep using and
     * releasing files: a thousand torrents' files against the default bound of 256 (the load
     * test at 1000 torrents once failed a write with TimSort's "Comparison method violates its
     * general contract!").
     */
    @Test
    void makingRoomWhileOthersReleaseFilesNeverFailsAnAcquire() throws Exception {
        int files = 600;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(dir.resolve("m" + i));
        }
        FileHandles handles = new FileHandles(FileChannel::open, 256, false);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            work.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 4_000; i++) {
                    handles.release(handles.acquire(paths.get(random.nextInt(files)), true));
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
        handles.closeAll();
        assertEquals(0, handles.openCount());
    }

    @Test
    void aReadOnlyHandleIsReopenedForWritingAndClosedOnceItsReaderIsDone() throws IOException {
        Path file = dir.resolve("f");
        Files.write(file, new byte[8]);
        FileHandles handles = new FileHandles(FileChannel::open, 4, false);
        FileHandles.Handle reader = handles.acquire(file, false);
        FileHandles.Handle writer = handles.acquire(file, true);
        assertTrue(writer.writable);
        assertTrue(reader.channel.isOpen(), "closed under its reader");
        assertEquals(2, handles.openCount());
        handles.release(reader);
        assertFalse(reader.channel.isOpen());
        handles.release(writer);
        assertEquals(1, handles.openCount());
        handles.closeAll();
        assertFalse(writer.channel.isOpen());
    }
}
