package io.piecework.itests.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.piecework.api.bitmap.BitmapLease;
import io.piecework.api.bitmap.BitmapPool;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.StorageException;
import io.piecework.api.storage.StorageProvider;
import io.piecework.api.storage.StorageState;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.itests.Distribution;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.util.tracker.ServiceTracker;
import org.roaringbitmap.RoaringBitmap;

/**
 * The storage and bitmap bundles stopped and started while a consumer (this test, through
 * service trackers, as the engine does through DS) holds their services: the consumer sees the
 * service go, binds the new one, and has lost nothing: completion comes back from the resume
 * file, the bitmaps it holds stay intact.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class StorageRestartIT {
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(10);
    private static final int PIECE = 16 * 1024;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        // Loopback only for the peer transport; pooling switched on so the pool really pools.
        Path load = Files.createTempDirectory("piecework-itest-load-");
        load.toFile().deleteOnExit(); // runs after the files', registered later
        Path transport = load.resolve("io.piecework.wire.transport.cfg");
        Files.writeString(transport, "listen.address=127.0.0.1\nlisten.port=0\n");
        transport.toFile().deleteOnExit();
        Path pool = load.resolve("io.piecework.bitmap.internal.RoaringBitmapPool.cfg");
        Files.writeString(pool, "maxBitmaps=64\n");
        pool.toFile().deleteOnExit();
        return Distribution.paxExam(load);
    }

    private <T> ServiceTracker<T, T> track(Class<T> type, String filter) throws Exception {
        String f = "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        return tracker;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Two files, random bytes, real piece hashes. */
    private static TorrentMetainfo torrent(byte[] content) throws Exception {
        List<FileEntry> files = List.of(new FileEntry(List.of("a.bin"), 50_000, 0, false),
                new FileEntry(List.of("sub", "b.bin"), content.length - 50_000, 50_000, false));
        int pieces = (content.length + PIECE - 1) / PIECE;
        byte[] hashes = new byte[pieces * 20];
        for (int i = 0; i < pieces; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(content, i * PIECE, Math.min(PIECE, content.length - i * PIECE));
            System.arraycopy(sha1.digest(), 0, hashes, i * 20, 20);
        }
        byte[] infoHash = MessageDigest.getInstance("SHA-1").digest(hashes);
        return new TorrentMetainfo(InfoHash.of(infoHash), "restart", PIECE, hashes, files, true,
                List.of(), List.of(), false, null, null, null, new byte[0]);
    }

    @Test
    public void storageBundleRestartLosesNoCompletion() throws Exception {
        byte[] content = new byte[200_000];
        new Random(5).nextBytes(content);
        TorrentMetainfo metainfo = torrent(content);
        Path dir = Files.createTempDirectory("piecework-itest-storage-");
        ServiceTracker<StorageProvider, StorageProvider> tracker = track(StorageProvider.class, "(storage.name=file)");
        try {
            StorageProvider first = tracker.waitForService(WAIT_MS);
            assertNotNull("file storage provider registered", first);
            TorrentStorage storage = first.open(metainfo, dir).get(WAIT_MS, TimeUnit.MILLISECONDS);
            for (int i = 0; i < metainfo.pieceCount(); i++) {
                int length = (int) metainfo.pieceSize(i);
                storage.write(i, 0, ByteBuffer.wrap(content, i * PIECE, length));
                assertTrue("piece " + i, storage.verify(i).get(WAIT_MS, TimeUnit.MILLISECONDS));
            }

            Bundle bundle = bundle("io.piecework.storage.file");
            bundle.stop();
            assertNull("the service went away with its bundle", tracker.getService());
            assertEquals("the provider closed the storage it had opened", StorageState.CLOSED, storage.state());
            StorageException refused = assertThrows(StorageException.class,
                    () -> storage.write(0, 0, ByteBuffer.allocate(1)));
            assertEquals(StorageException.Kind.UNAVAILABLE, refused.kind());

            bundle.start();
            StorageProvider second = tracker.waitForService(WAIT_MS);
            assertNotNull("a new provider registered", second);
            assertNotSame(first, second);
            TorrentStorage again = second.open(metainfo, dir).get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertEquals("completion restored", metainfo.pieceCount(), again.completedCount());
            ByteBuffer back = ByteBuffer.allocate(100);
            again.read(3, 10, back);
            assertEquals(ByteBuffer.wrap(content, 3 * PIECE + 10, 100), back.flip());
            again.close();
        } finally {
            tracker.close();
        }
    }

    @Test
    public void bitmapBundleRestartLeavesHeldBitmapsIntact() throws Exception {
        ServiceTracker<BitmapPool, BitmapPool> tracker = track(BitmapPool.class, null);
        try {
            BitmapPool first = tracker.waitForService(WAIT_MS);
            assertNotNull("bitmap pool registered", first);
            // The configuration from load/ reached the pool: a released bitmap comes back.
            first.acquire().close();
            BitmapLease lease = first.acquire();
            assertEquals("pooling is on", 1, first.stats().hits());
            lease.bitmap().add(0L, 5_000L);
            lease.bitmap().add(40_000);
            RoaringBitmap expected = lease.bitmap().clone();
            assertEquals(1, first.stats().inUse());
            assertEquals(0, first.stats().idle());

            Bundle bundle = bundle("io.piecework.bitmap");
            bundle.stop();
            assertNull("the service went away with its bundle", tracker.getService());
            assertEquals("the consumer's bitmap is untouched", expected, lease.bitmap());

            bundle.start();
            BitmapPool second = tracker.waitForService(WAIT_MS);
            assertNotNull("a new pool registered", second);
            assertNotSame(first, second);
            assertEquals(expected, lease.bitmap());
            lease.close(); // given back to the stopped pool: dropped, no harm
            assertTrue(lease.released());
            try (BitmapLease fresh = second.acquire()) {
                assertTrue(fresh.bitmap().isEmpty());
                assertFalse(fresh.released());
            }
            assertEquals("a fresh pool, its own counters", 1, second.stats().acquired());
            assertEquals(0, second.stats().inUse());
            assertEquals("its bitmap went back to it", 1, second.stats().idle());
        } finally {
            tracker.close();
        }
    }
}
