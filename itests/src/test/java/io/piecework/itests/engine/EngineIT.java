package io.piecework.itests.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentEngineFactory;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.itests.Distribution;
import io.piecework.itests.support.Conditions;
import io.piecework.itests.support.ScriptProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The engine inside Felix with the distribution's bundles: two engines (the service and
 * one from the factory) exchange a torrent over loopback; and a download from a libtorrent
 * seeder survives three strategy swaps (Gogo command, configuration, bundle stopped).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineIT {
    private static final long MIB = 1 << 20;
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(20);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        Path load = Files.createTempDirectory("piecework-itest-load-");
        Path transport = load.resolve("io.piecework.wire.transport.cfg");
        Path engine = load.resolve("io.piecework.engine.cfg");
        load.toFile().deleteOnExit();
        Files.writeString(transport, "listen.address=127.0.0.1\nlisten.port=0\n");
        // As shipped: the distribution's own engine configuration (strategy cached).
        Files.copy(Distribution.home().resolve("load/io.piecework.engine.cfg"), engine);
        transport.toFile().deleteOnExit();
        engine.toFile().deleteOnExit();
        return Distribution.paxExam(load);
    }

    @Test
    public void theEngineServiceAndAFactoryEngineTransferATorrentOverLoopback() throws Exception {
        TorrentEngine engine = engineOnLoopback();
        TorrentEngineFactory factory = await(TorrentEngineFactory.class, null);
        MetainfoService metainfo = await(MetainfoService.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-engines-");
        TorrentMetainfo meta = payload(metainfo, dir.resolve("seed").resolve("payload"), 24 * MIB);
        TorrentHandle seed = engine.add(meta, AddOptions.in(dir.resolve("seed")));
        seed.completion().get(60, TimeUnit.SECONDS);
        try (TorrentEngineFactory.OwnedEngine second = factory.create("127.0.0.1", 0)) {
            assertNotEquals(engine.listenPort(), second.listenPort());
            TorrentHandle get = second.add(meta, new AddOptions(dir.resolve("down"), false,
                    List.of(new InetSocketAddress("127.0.0.1", engine.listenPort()))));
            get.completion().get(120, TimeUnit.SECONDS);
            assertEquals(TorrentState.SEEDING, get.stats().state());
            assertTrue("the second engine downloaded the payload", get.stats().downloaded() >= meta.totalSize());
            assertSameFiles(meta, dir.resolve("seed"), dir.resolve("down"));
            get.remove(false).get(30, TimeUnit.SECONDS);
        } finally {
            seed.remove(false).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void aDownloadFromLibtorrentSurvivesThreeStrategySwaps() throws Exception {
        TorrentEngine engine = engineOnLoopback();
        MetainfoService metainfo = await(MetainfoService.class, null);
        ConfigurationAdmin cm = await(ConfigurationAdmin.class, null);
        CommandProcessor gogo = await(CommandProcessor.class, null);
        waitFor(() -> engine.strategy().equals(Optional.of("cached")), "the shipped strategy (cached) in use");
        Path dir = Files.createTempDirectory("piecework-itest-swap-");
        TorrentMetainfo meta = payload(metainfo, dir.resolve("seed").resolve("payload"), 48 * MIB);
        Path torrent = dir.resolve("payload.torrent");
        Files.write(torrent, metainfo.encode(meta));
        Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
        // 3 MB/s: the 48 MiB take about 16 s, time for three swaps while pieces arrive.
        try (ScriptProcess seeder = ScriptProcess.start(dir.resolve("lt.log"), List.of(ScriptProcess.PYTHON,
                script.toString(), "seed", torrent.toString(), dir.resolve("seed").toString(),
                "--upload-limit", "3000000"))) {
            int port = Integer.parseInt(seeder.await("PORT", 60).split(" ")[1]);
            TorrentHandle get = engine.add(meta, new AddOptions(dir.resolve("down"), false,
                    List.of(new InetSocketAddress("127.0.0.1", port))));
            try {
                progresses(get);

                // 1. The shell command (it sets strategy.target through Config Admin).
                String said = gogo(gogo, "piecework:strategy batched");
                assertTrue(said, said.contains("batched"));
                waitFor(() -> engine.strategy().equals(Optional.of("batched")), "batched after the command");
                progresses(get);

                // 2. A configuration update that no longer matches batched: one of the other two.
                org.osgi.service.cm.Configuration c = cm.getConfiguration("io.piecework.engine", null);
                Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
                props.put("strategy.target", "(|(strategy.name=cached)(strategy.name=naive))");
                c.update(props);
                waitFor(() -> engine.strategy().filter(s -> !s.equals("batched")).isPresent(),
                        "cached or naive after the configuration update");
                String second = engine.strategy().orElseThrow();
                progresses(get);

                // 3. The active strategy's bundle stops: the engine takes the other one.
                Bundle active = strategyBundle(second);
                active.stop();
                try {
                    waitFor(() -> engine.strategy().filter(s -> !s.equals(second)).isPresent(),
                            "the other strategy after " + second + "'s bundle stopped");
                    assertFalse("the download was still running after the third swap", get.completion().isDone());
                    get.completion().get(240, TimeUnit.SECONDS);
                } finally {
                    active.start();
                }
                assertSameFiles(meta, dir.resolve("seed"), dir.resolve("down"));
                assertEquals(0, get.stats().hashFailures());
            } finally {
                get.remove(false).get(30, TimeUnit.SECONDS);
                org.osgi.service.cm.Configuration c = cm.getConfiguration("io.piecework.engine", null);
                Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
                props.put("strategy.target", "(strategy.name=cached)");
                c.update(props);
            }
        }
    }

    @Test
    public void shellCommandsAddListShowConnectStopAndRemoveATorrent() throws Exception {
        TorrentEngine engine = engineOnLoopback();
        MetainfoService metainfo = await(MetainfoService.class, null);
        CommandProcessor gogo = await(CommandProcessor.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-shell-");
        TorrentMetainfo meta = payload(metainfo, dir.resolve("data").resolve("payload"), 4 * MIB);
        Path torrent = dir.resolve("payload.torrent");
        Files.write(torrent, metainfo.encode(meta));
        String id = meta.infoHash().hex().substring(0, 10);

        String added = gogo(gogo, "piecework:add " + torrent + " " + dir.resolve("data"));
        assertTrue(added, added.contains("added " + meta.infoHash().hex()));
        TorrentHandle t = engine.find(meta.infoHash()).orElseThrow();
        t.completion().get(60, TimeUnit.SECONDS);
        String list = gogo(gogo, "piecework:list");
        assertTrue(list, list.contains(meta.infoHash().hex().substring(0, 12)) && list.contains("seeding"));
        String status = gogo(gogo, "piecework:status " + id);
        for (String field : List.of("state:           seeding", "progress:        100.0%", "lock:", "acquisitions",
                "request updates:", "hash failures:   0", "banned peers:    0", "strategy:        cached")) {
            assertTrue("'" + field + "' in " + status, status.contains(field));
        }
        String strategies = gogo(gogo, "piecework:strategy");
        assertTrue(strategies, strategies.contains("in use:    cached") && strategies.contains("available: batched cached naive"));
        assertTrue(gogo(gogo, "piecework:peer " + id + " 127.0.0.1:9").contains("connecting"));
        assertTrue(gogo(gogo, "piecework:stop " + id).contains("stopped"));
        waitFor(() -> t.stats().state() == TorrentState.STOPPED, "the torrent stopped");
        assertTrue(gogo(gogo, "piecework:remove " + id).contains("removed"));
        waitFor(() -> engine.find(meta.infoHash()).isEmpty(), "the torrent forgotten");
        assertTrue("remove without --data keeps the files", Files.exists(dir.resolve("data/payload/a.bin")));
    }

    /** Waits until the torrent verifies more pieces than now: the transfer goes on. */
    private static void progresses(TorrentHandle t) throws InterruptedException {
        int now = t.stats().piecesVerified();
        waitFor(() -> t.stats().piecesVerified() > now || t.completion().isDone(), "more verified pieces than " + now);
    }

    private Bundle strategyBundle(String name) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences(RequestStrategy.class.getName(),
                "(" + RequestStrategy.NAME_PROPERTY + "=" + name + ")");
        assertNotNull("no strategy " + name, refs);
        return refs[0].getBundle();
    }

    private static String gogo(CommandProcessor gogo, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = gogo.createSession(new java.io.ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            return out.toString(StandardCharsets.UTF_8) + result;
        } finally {
            session.close();
        }
    }

    /** The engine service once the loopback transport configuration has reached it. */
    private TorrentEngine engineOnLoopback() throws Exception {
        await(Object.class, "(&(" + Constants.OBJECTCLASS
                + "=io.piecework.transport.PeerTransport)(listen.address=127.0.0.1))");
        TorrentEngine[] engine = new TorrentEngine[1];
        waitFor(() -> {
            try {
                engine[0] = await(TorrentEngine.class, null);
                return engine[0].listenPort() > 0;
            } catch (Exception e) {
                return false;
            }
        }, "the engine listening");
        return engine[0];
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

    /** Three files of uneven sizes (pieces straddle their ends) hashed by the MetainfoService. */
    static TorrentMetainfo payload(MetainfoService metainfo, Path root, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(size);
        long[] sizes = {size / 2 + 4_321, size / 3, size - size / 2 - 4_321 - size / 3};
        String[] names = {"a.bin", "sub/b.bin", "sub/c.bin"};
        byte[] chunk = new byte[(int) MIB];
        for (int i = 0; i < names.length; i++) {
            Path f = root.resolve(names[i]);
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                for (long left = sizes[i]; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
            }
        }
        return metainfo.create(new CreateRequest(root, 256 * 1024, List.of(), List.of(), false, null, 2),
                CreateProgress.NONE);
    }

    static void assertSameFiles(TorrentMetainfo meta, Path original, Path copy) throws IOException {
        for (FileEntry f : meta.files()) {
            if (f.padding()) {
                continue;
            }
            Path a = original.resolve(meta.name()).resolve(String.join("/", f.path()));
            Path b = copy.resolve(meta.name()).resolve(String.join("/", f.path()));
            assertEquals(b + " differs from " + a, -1L, Files.mismatch(a, b));
        }
    }
}
