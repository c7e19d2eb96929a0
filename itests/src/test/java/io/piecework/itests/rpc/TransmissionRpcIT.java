package io.piecework.itests.rpc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.support.ScriptProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Real Transmission remotes drive Piecework in Felix with the distribution's bundles:
 * transmission-remote 3.00 adds a .torrent by path and a magnet, lists, shows, stops,
 * starts, unselects and selects files, sets and lifts the torrent's and the session's rate
 * limits, removes with data and reads the session; libtorrent
 * seeds both and the files arrive byte-identical. python3-transmissionrpc adds, lists and
 * removes. The RPC listens on the free loopback port Distribution put in Felix HTTP's port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransmissionRpcIT {
    private static final long MIB = 1 << 20;
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(120);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        Path load = Files.createTempDirectory("piecework-itest-load-");
        load.toFile().deleteOnExit();
        Path transport = load.resolve("io.piecework.wire.transport.cfg");
        Files.writeString(transport, "listen.address=127.0.0.1\nlisten.port=0\n");
        transport.toFile().deleteOnExit();
        Path dht = load.resolve("io.piecework.dht.cfg");
        Files.writeString(dht, "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\n");
        dht.toFile().deleteOnExit();
        return Distribution.paxExam(load);
    }

    @Test
    public void transmissionRemoteDrivesADownloadFromLibtorrent() throws Exception {
        TorrentEngine engine = engineOnLoopback();
        MetainfoService metainfo = await(MetainfoService.class, null);
        int port = rpcPort();
        Path dir = Files.createTempDirectory("piecework-itest-rpc-");
        TorrentMetainfo pair = payload(metainfo, dir.resolve("seed"), "pair", 6 * MIB, 2);
        TorrentMetainfo single = payload(metainfo, dir.resolve("seed"), "single", 3 * MIB, 1);
        Path pairTorrent = dir.resolve("pair.torrent");
        Path singleTorrent = dir.resolve("single.torrent");
        Files.write(pairTorrent, metainfo.encode(pair));
        Files.write(singleTorrent, metainfo.encode(single));
        Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
        try (ScriptProcess pairSeed = seeder(script, pairTorrent, dir);
             ScriptProcess singleSeed = seeder(script, singleTorrent, dir)) {
            int pairSeedPort = Integer.parseInt(pairSeed.await("PORT", 60).split(" ")[1]);
            int singleSeedPort = Integer.parseInt(singleSeed.await("PORT", 60).split(" ")[1]);
            Path down = dir.resolve("down");

            // A .torrent by path, paused (transmission-remote sends --start-paused as a session
            // setting, after any add of the same run): listed at 0% and stopped.
            assertOk(Remote.transmission(port, "--start-paused"));
            Remote added = Remote.transmission(port, "-a", pairTorrent.toString(), "-w", down.toString());
            assertTrue(added.toString(), added.status() == 0 && added.out().contains("success"));
            TorrentHandle pairHandle = engine.find(pair.infoHash()).orElseThrow();
            String p = String.valueOf(idOf(port, pair));
            Remote list = Remote.transmission(port, "-l");
            String line = list.listLine(p);
            assertNotNull(list.toString(), line);
            assertTrue(line, line.contains(" 0%") && line.contains("Stopped") && line.contains("pair"));

            // Unselect the second file, start: only the first arrives, and that is 100% of what is wanted.
            assertOk(Remote.transmission(port, "-t", p, "-G", "1"));
            Remote files = Remote.transmission(port, "-t", p, "-f");
            assertTrue(files.toString(), files.out().matches("(?s).*\\n\\s*1:\\s+\\S+\\s+Normal\\s+No\\s+.*"));
            assertOk(Remote.transmission(port, "-t", p, "-s"));
            pairSeed.send("CONNECT " + engine.listenPort());
            waitFor(() -> done(pairHandle.stats()), "the selected file downloaded");
            assertTrue("the unselected file's own pieces were skipped",
                    pairHandle.stats().verifiedBytes() < pair.totalSize());
            assertTrue(Remote.transmission(port, "-l").listLine(p).contains("100%"));

            // Select it again: the rest arrives.
            assertOk(Remote.transmission(port, "-t", p, "-g", "1"));
            waitFor(() -> pairHandle.stats().verifiedBytes() == pair.totalSize(), "the whole torrent downloaded");
            assertSameFiles(pair, dir.resolve("seed"), down);

            // A magnet (its peer in x.pe): the metadata, then the data, from libtorrent.
            assertOk(Remote.transmission(port, "--no-start-paused"));
            String magnet = "magnet:?xt=urn:btih:" + single.infoHash().hex() + "&dn=single&x.pe=127.0.0.1:" + singleSeedPort;
            assertOk(Remote.transmission(port, "-a", magnet, "-w", down.toString()));
            TorrentHandle singleHandle = engine.find(single.infoHash()).orElseThrow();
            String m = String.valueOf(idOf(port, single));
            waitFor(() -> singleHandle.metainfo() != null && done(singleHandle.stats()), "the magnet downloaded");
            assertSameFiles(single, dir.resolve("seed"), down);
            list = Remote.transmission(port, "-l");
            assertTrue(list.toString(), list.listLine(p).contains("100%") && list.listLine(m).contains("100%")
                    && list.listLine(m).contains("single"));

            Remote info = Remote.transmission(port, "-t", m, "-i");
            assertTrue(info.toString(), info.out().contains("Name: single") && info.out().contains("Hash: "
                    + single.infoHash().hex()) && info.out().contains("Percent Done: 100%")
                    && info.out().contains("Location: " + down));

            // Stop and start.
            assertOk(Remote.transmission(port, "-t", p, "-S"));
            waitFor(() -> pairHandle.stats().state() == TorrentState.STOPPED, "stopped");
            assertTrue(Remote.transmission(port, "-l").listLine(p).contains("Stopped"));
            assertOk(Remote.transmission(port, "-t", p, "-s"));
            waitFor(() -> pairHandle.stats().state() == TorrentState.SEEDING, "seeding again");
            assertFalse(Remote.transmission(port, "-l").listLine(p).contains("Stopped"));

            // Limits: -t N -d/-u the torrent's, -d/-u the engine's (its configuration, live), --alt-speed the turtle.
            assertOk(Remote.transmission(port, "-t", p, "-d", "100"));
            assertOk(Remote.transmission(port, "-t", p, "-u", "30"));
            assertEquals(new RateLimits(100 << 10, 30 << 10), pairHandle.rateLimits());
            Remote limited = Remote.transmission(port, "-t", p, "-i");
            assertTrue(limited.toString(), limited.out().contains("Download Limit: 100") && limited.out().contains("Upload Limit: 30"));
            assertOk(Remote.transmission(port, "-t", p, "-D"));
            assertEquals(new RateLimits(0, 30 << 10), pairHandle.rateLimits());
            assertOk(Remote.transmission(port, "-d", "500"));
            assertOk(Remote.transmission(port, "-u", "300"));
            assertOk(Remote.transmission(port, "--alt-speed"));
            waitFor(() -> "500".equals(engineProperty("download.limit.kib")) && "300".equals(engineProperty("upload.limit.kib"))
                    && "true".equals(engineProperty("turtle")), "the engine's configuration has the limits");
            Remote limits = Remote.transmission(port, "-si");
            assertTrue(limits.toString(), limits.out().contains("Enabled limit: 500") && limits.out().contains("Enabled limit: 300")
                    && limits.out().contains("Enabled turtle limit: 50"));
            assertOk(Remote.transmission(port, "-D", "-U", "--no-alt-speed")); // unlimited again
            assertOk(Remote.transmission(port, "-t", p, "-U"));
            assertEquals(RateLimits.UNLIMITED, pairHandle.rateLimits());
            waitFor(() -> "0".equals(engineProperty("download.limit.kib")) && "false".equals(engineProperty("turtle")),
                    "the engine's limits lifted");

            Remote session = Remote.transmission(port, "-si");
            assertTrue(session.toString(), session.status() == 0 && session.out().contains("RPC version: 16")
                    && session.out().contains("Listenport: " + engine.listenPort()));
            Remote stats = Remote.transmission(port, "-st");
            assertTrue(stats.toString(), stats.status() == 0 && stats.out().contains("CURRENT SESSION")
                    && stats.out().contains("Downloaded:"));

            // Remove with data.
            assertOk(Remote.transmission(port, "-t", m, "-rad"));
            waitFor(() -> engine.find(single.infoHash()).isEmpty(), "the magnet's torrent removed");
            assertFalse("its data deleted", Files.exists(down.resolve(single.name())));
            list = Remote.transmission(port, "-l");
            assertTrue(list.toString(), list.listLine(m) == null && list.listLine(p) != null);
            assertOk(Remote.transmission(port, "-t", p, "-r"));
            waitFor(() -> engine.torrents().isEmpty(), "all removed");
            assertTrue("remove without data keeps the files", Files.exists(down.resolve(pair.name())));
        }
    }

    @Test
    public void pythonTransmissionRpcAddsListsAndRemoves() throws Exception {
        TorrentEngine engine = engineOnLoopback();
        MetainfoService metainfo = await(MetainfoService.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-rpcpy-");
        TorrentMetainfo meta = payload(metainfo, dir.resolve("data"), "py", MIB, 1);
        Path torrent = dir.resolve("py.torrent");
        Files.write(torrent, metainfo.encode(meta));
        Path script = Path.of("src/test/resources/python/rpc/transmissionrpc_client.py").toAbsolutePath();
        Remote r = Remote.run(List.of(ScriptProcess.PYTHON, script.toString(), String.valueOf(rpcPort()),
                torrent.toString(), dir.resolve("data").toString()));
        assertEquals(r.toString(), 0, r.status());
        assertTrue(r.toString(), r.out().contains("ADDED py " + meta.infoHash().hex())
                && r.out().contains("LISTED py") && r.out().contains("REMOVED"));
        waitFor(() -> engine.find(meta.infoHash()).isEmpty(), "the python client's torrent removed");
    }

    /** A property of the engine's Config Admin configuration, as text; null when absent. */
    private String engineProperty(String key) {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> t = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        t.open();
        try {
            ConfigurationAdmin cm = t.waitForService(10_000);
            org.osgi.service.cm.Configuration[] found = cm.listConfigurations("(service.pid=io.piecework.engine)");
            Object v = found == null || found[0].getProperties() == null ? null : found[0].getProperties().get(key);
            return v == null ? null : String.valueOf(v);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            t.close();
        }
    }

    /** The torrent's RPC id, as transmission-remote shows it when given the hash. */
    private static int idOf(int port, TorrentMetainfo meta) throws Exception {
        Remote info = Remote.transmission(port, "-t", meta.infoHash().hex(), "-i");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\\n\\s*Id: (\\d+)").matcher(info.out());
        assertTrue(info.toString(), id.find());
        return Integer.parseInt(id.group(1));
    }

    private static boolean done(TorrentStats s) {
        return s.wantedBytes() > 0 && s.verifiedBytes() == s.wantedBytes();
    }

    private static void assertOk(Remote r) {
        assertTrue(r.toString(), r.status() == 0 && r.out().contains("success"));
    }

    private static ScriptProcess seeder(Path script, Path torrent, Path dir) throws IOException {
        return ScriptProcess.start(Files.createTempFile(dir, "lt-", ".log"), List.of(ScriptProcess.PYTHON,
                script.toString(), "seed", torrent.toString(), dir.resolve("seed").toString()));
    }

    /** The RPC's port: the free one Distribution gave Felix HTTP, once the servlet is registered. */
    private int rpcPort() throws Exception {
        await(Object.class, "(&(" + Constants.OBJECTCLASS + "=jakarta.servlet.Servlet)(osgi.http.whiteboard.servlet.pattern="
                + "/transmission/rpc))");
        return Integer.parseInt(String.valueOf(context.getProperty(Distribution.HTTP_PORT)));
    }

    private TorrentEngine engineOnLoopback() throws Exception {
        await(Object.class, "(&(" + Constants.OBJECTCLASS
                + "=io.piecework.transport.PeerTransport)(listen.address=127.0.0.1))");
        TorrentEngine engine = await(TorrentEngine.class, null);
        waitFor(() -> engine.listenPort() > 0, "the engine listening");
        return engine;
    }

    private <T> T await(Class<T> type, String filter) throws Exception {
        String f = type == Object.class ? filter
                : "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        T service = tracker.waitForService(WAIT_MS);
        assertNotNull("no service " + f + " within " + WAIT_MS + " ms", service);
        return service;
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        Conditions.await(WAIT_MS, condition, what);
    }

    /**
     * A torrent named {@code name} in {@code folder}, 64 KiB pieces: one file of random bytes, or
     * a folder of {@code count} files of uneven sizes (pieces straddle their ends).
     */
    private static TorrentMetainfo payload(MetainfoService metainfo, Path folder, String name, long size, int count)
            throws IOException {
        SplittableRandom random = new SplittableRandom(size + count);
        byte[] chunk = new byte[(int) MIB];
        Path root = folder.resolve(name);
        for (int i = 0; i < count; i++) {
            Path f = count == 1 ? root : root.resolve("f" + i + ".bin");
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                for (long left = size / count + i * 12_345L; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
            }
        }
        return metainfo.create(new CreateRequest(root, 64 * 1024, List.of(), List.of(), false, null, 2),
                CreateProgress.NONE);
    }

    private static void assertSameFiles(TorrentMetainfo meta, Path original, Path copy) throws IOException {
        for (FileEntry f : meta.files()) {
            Path rel = meta.multiFile() ? Path.of(meta.name()).resolve(f.displayPath()) : Path.of(f.displayPath());
            Path a = original.resolve(rel.toString());
            Path b = copy.resolve(rel.toString());
            assertEquals(b + " differs from " + a, -1L, Files.mismatch(a, b));
        }
    }
}
