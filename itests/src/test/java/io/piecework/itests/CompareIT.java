package io.piecework.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.piecework.compare.Comparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The comparison as shipped: it finds the three strategies through DS and measures each. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CompareIT {
    @Inject
    private BundleContext context;

    @Inject
    @Filter(timeout = 10_000)
    private Comparison comparison;

    @Configuration
    public Option[] config() throws Exception {
        Path load = Files.createTempDirectory("piecework-itest-compare-");
        load.toFile().deleteOnExit();
        // Loopback only, any free port: the engine starts with the distribution.
        Path transport = Files.writeString(load.resolve("io.piecework.wire.transport.cfg"),
                "listen.port=0\nlisten.address=127.0.0.1\n");
        transport.toFile().deleteOnExit();
        return Distribution.paxExam(load);
    }

    @Test
    public void comparesEveryShippedStrategyAndOffersTheGogoCommand() throws Exception {
        assertEquals(List.of("batched", "cached", "naive"), comparison.strategies());
        ServiceReference<?>[] gogo = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=piecework)(osgi.command.function=compare))");
        assertNotNull("no Gogo command piecework:compare", gogo);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        comparison.run(List.of("--torrents", "4", "--peers", "3", "--pieces", "64", "--seconds", "1"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Path.of("."));
        List<String> table = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(String.join("\n", table), table.get(1).matches(" +batched +cached +naive"));
        assertTrue(String.join("\n", table), table.stream().anyMatch(l -> l.matches("alloc/update \\(B\\)( +[0-9]+){3}")));
        assertTrue(String.join("\n", table), table.stream().noneMatch(l -> l.startsWith("warning")));
    }
}
