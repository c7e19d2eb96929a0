package io.piecework.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.piecework.api.discovery.DhtNode;
import io.piecework.api.discovery.PeerSource;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.support.Conditions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
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
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/** The distribution's bundles in a real Felix: all start, all components run, the services work. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {
    private static final long WAIT_MS = TimeUnit.SECONDS.toMillis(10);

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        // Tests use loopback only: the peer transport listens on 127.0.0.1, on a free port.
        Path load = Files.createTempDirectory("piecework-itest-load-");
        Path cfg = load.resolve("io.piecework.wire.transport.cfg");
        load.toFile().deleteOnExit(); // runs after the file's, registered later
        Files.writeString(cfg, "listen.address=127.0.0.1\nlisten.port=0\n");
        cfg.toFile().deleteOnExit();
        // The DHT node too: loopback, a free port, no public bootstrap routers.
        Path dht = load.resolve("io.piecework.dht.cfg");
        Files.writeString(dht, "bind.address=127.0.0.1\nport=0\nbootstrap.nodes=\n");
        dht.toFile().deleteOnExit();
        return Distribution.paxExam(load);
    }

    private <T> T await(Class<T> type, String filter) throws Exception {
        String f = "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        T service = tracker.waitForService(WAIT_MS);
        assertNotNull("no service " + f + " within " + WAIT_MS + " ms", service);
        return service;
    }

    @Test
    public void everyBundleIsActive() {
        List<String> inactive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                inactive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertTrue("bundles not active: " + inactive, inactive.isEmpty());
        for (String bsn : List.of("io.piecework.api", "io.piecework.bencode", "io.piecework.metainfo",
                "io.piecework.shell", "org.roaringbitmap.osgi", "org.apache.felix.scr", "slf4j.simple")) {
            assertTrue(bsn + " is not installed", List.of(context.getBundles()).stream()
                    .anyMatch(b -> bsn.equals(b.getSymbolicName())));
        }
    }

    @Test
    public void everyComponentIsSatisfiedOrActive() throws Exception {
        // The last services to appear: once they are there, every bundle has been processed.
        await(MetainfoService.class, null);
        await(ToIntFunction.class, "(piecework.cli=true)");
        ServiceComponentRuntime scr = await(ServiceComponentRuntime.class, null);
        List<String> problems = new ArrayList<>();
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
        for (ComponentDescriptionDTO d : descriptions) {
            if (!scr.isComponentEnabled(d)) {
                problems.add(d.name + ": disabled");
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            // Opt-in components (configuration policy require) wait for a configuration by design.
            if (configs.isEmpty() && !"require".equals(d.configurationPolicy)) {
                problems.add(d.name + ": no configuration (policy " + d.configurationPolicy + ")");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE) {
                    problems.add(d.name + ": state " + c.state + unsatisfied(c) + (c.failure == null ? "" : ", " + c.failure));
                }
            }
        }
        assertTrue("components not satisfied: " + problems, problems.isEmpty());
        assertTrue("the shell's components are known to SCR", descriptions.stream()
                .anyMatch(d -> d.name.equals("io.piecework.shell.internal.CliRunner")));
    }

    @Test
    public void theEngineBindsTheTrackerPeerSource() throws Exception {
        await(io.piecework.api.discovery.PeerSource.class, "(peersource.name=tracker)");
        ServiceComponentRuntime scr = await(ServiceComponentRuntime.class, null);
        Conditions.await(WAIT_MS, () -> boundSources(scr) >= 1,
                "the engine's 'sources' reference holds the tracker peer source");
    }

    private static int boundSources(ServiceComponentRuntime scr) {
        int bound = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.equals("io.piecework.core.internal.EngineComponent")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    for (var r : c.satisfiedReferences) {
                        if (r.name.equals("sources")) {
                            bound = r.boundServices.length;
                        }
                    }
                }
            }
        }
        return bound;
    }

    /** The native fragment must load inside Felix (Bundle-NativeCode), not only on a test class path. */
    @Test
    public void thePeerTransportRunsOnEpollWhereItLoads() throws Exception {
        io.piecework.transport.PeerTransport transport = await(io.piecework.transport.PeerTransport.class, null);
        String kind = (String) transport.getClass().getMethod("ioKind").invoke(transport);
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (!linuxX64) {
            System.out.println("skipped: epoll needs Linux x86_64, this is " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch") + "; the transport runs on " + kind);
        }
        org.junit.Assume.assumeTrue(linuxX64);
        assertTrue("the epoll fragment is installed", List.of(context.getBundles()).stream()
                .anyMatch(b -> "io.netty.transport-native-epoll.linux-x86_64".equals(b.getSymbolicName())));
        assertEquals("epoll", kind);
    }

    @Test
    public void theDhtNodeRunsOnLoopbackAsAPeerSource() throws Exception {
        await(PeerSource.class, "(" + PeerSource.NAME_PROPERTY + "=dht)");
        DhtNode node = await(DhtNode.class, "(bind.address=127.0.0.1)");
        assertTrue("the DHT node has a UDP port: " + node.port(), node.port() > 0);
    }

    @Test
    public void configurationFromTheLoadFolderReachesComponents() throws Exception {
        // The transport's service carries its configuration; wait for the loopback one.
        // (The launcher applies load/ before bundle/ starts; Pax Exam starts everything at
        // once, so here the configuration may arrive just after the first activation.)
        String filter = "(&(" + Constants.OBJECTCLASS + "=io.piecework.transport.PeerTransport)"
                + "(listen.address=127.0.0.1))";
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        try {
            if (tracker.waitForService(WAIT_MS) == null) {
                throw new AssertionError("no peer transport on 127.0.0.1 within " + WAIT_MS + " ms; " + transportState());
            }
        } finally {
            tracker.close();
        }
    }

    private String transportState() throws Exception {
        ServiceComponentRuntime scr = await(ServiceComponentRuntime.class, null);
        StringBuilder sb = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.contains("PeerTransport")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    sb.append(d.name).append(" state ").append(c.state).append(" address ")
                            .append(c.properties.get("listen.address")).append(" port ")
                            .append(c.properties.get("listen.port")).append(" pid ")
                            .append(c.properties.get("service.pid")).append(" failure ").append(c.failure)
                            .append(" all ").append(c.properties).append("; ");
                }
            }
        }
        return sb.toString();
    }

    private static String unsatisfied(ComponentConfigurationDTO c) {
        if (c.unsatisfiedReferences == null || c.unsatisfiedReferences.length == 0) {
            return "";
        }
        return List.of(c.unsatisfiedReferences).stream()
                .map((UnsatisfiedReferenceDTO r) -> r.name + (r.target == null ? "" : " " + r.target))
                .collect(Collectors.joining(", ", ", unsatisfied references: ", ""));
    }

    @Test
    public void metainfoServiceCreatesATorrentAndParsesItBack() throws Exception {
        MetainfoService metainfo = await(MetainfoService.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-");
        Path root = dir.resolve("album");
        Files.createDirectories(root.resolve("disc 2"));
        Random random = new Random(42);
        byte[] a = new byte[100_000];
        byte[] b = new byte[1];
        byte[] c = new byte[40_000];
        random.nextBytes(a);
        random.nextBytes(c);
        Files.write(root.resolve("a.bin"), a);
        Files.write(root.resolve("b.txt"), b);
        Files.write(root.resolve("disc 2/c.bin"), c);
        AtomicLong hashed = new AtomicLong();
        CreateRequest request = new CreateRequest(root, 16 * 1024, List.of("http://127.0.0.1:6969/announce"),
                List.of(), false, "itest", 2);
        CreateProgress progress = (done, total) -> hashed.accumulateAndGet(done, Math::max);
        TorrentMetainfo created = metainfo.create(request, progress);
        TorrentMetainfo parsed = metainfo.parse(metainfo.encode(created));

        assertEquals(created.infoHash(), parsed.infoHash());
        assertEquals("album", parsed.name());
        assertTrue(parsed.multiFile());
        assertEquals(List.of("a.bin 100000", "b.txt 1", "disc 2/c.bin 40000"),
                parsed.files().stream().filter(f -> !f.padding()).map(DistributionIT::describe).toList());
        assertEquals(140_001, parsed.files().stream().filter(f -> !f.padding()).mapToLong(FileEntry::length).sum());
        assertEquals((parsed.totalSize() + 16 * 1024 - 1) / (16 * 1024), parsed.pieceCount());
        assertEquals(created.pieceCount(), parsed.pieceCount());
        assertArrayEquals(created.pieceHash(0), parsed.pieceHash(0));
        assertEquals(List.of(List.of("http://127.0.0.1:6969/announce")), parsed.trackerTiers());
        assertEquals(created.totalSize(), hashed.get());
    }

    private static String describe(FileEntry f) {
        return f.displayPath() + " " + f.length();
    }

    @Test
    public void gogoRunsPieceworkInfo() throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=piecework)(osgi.command.function=info))");
        assertNotNull("no Gogo command service for piecework:info", refs);
        assertEquals(1, refs.length);

        MetainfoService metainfo = await(MetainfoService.class, null);
        Path dir = Files.createTempDirectory("piecework-itest-");
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello, gogo");
        Path torrent = dir.resolve("hello.torrent");
        Files.write(torrent, metainfo.encode(metainfo.create(CreateRequest.of(file), CreateProgress.NONE)));

        CommandProcessor processor = await(CommandProcessor.class, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            session.execute("piecework:info '" + torrent + "'");
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("name:         hello.txt"));
        assertTrue(text, text.contains("total size:   11 B (11 bytes)"));
    }

    @Test
    public void cliRunnerAnswersHelp() throws Exception {
        @SuppressWarnings("unchecked")
        ToIntFunction<String[]> cli = await(ToIntFunction.class, "(piecework.cli=true)");
        assertEquals(0, cli.applyAsInt(new String[] {"help"}));
        assertEquals(2, cli.applyAsInt(new String[] {"no-such-subcommand"}));
    }
}
