package io.piecework.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.bencode.Bencode;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library bundles are also JPMS modules (bnd writes their module-info): they resolve in
 * a module layer of their own, export exactly their API packages, and work there without OSGi.
 */
class ModulesIT {
    private static ModuleLayer layer;

    @BeforeAll
    static void buildLayer() {
        Path[] jars = {
            Distribution.bundleJar("piecework-api"),
            Distribution.bundleJar("piecework-bencode"),
            Distribution.bundleJar("piecework-metainfo"),
            // The API's bitmap types come from RoaringBitmap, wrapped as a bundle under the
            // module name the upstream jar uses.
            Distribution.bundleJar("piecework-roaringbitmap"),
            // Offered in case a module requires SLF4J; not a root.
            Distribution.systemJar("slf4j-api"),
        };
        ModuleFinder finder = ModuleFinder.of(jars);
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
                Set.of("io.piecework.api", "io.piecework.bencode", "io.piecework.metainfo"));
        layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    private static Set<String> exports(String module) {
        return exports(layer, module);
    }

    private static Set<String> exports(ModuleLayer in, String module) {
        ModuleDescriptor d = in.findModule(module).orElseThrow(() -> new AssertionError("no module " + module)).getDescriptor();
        return d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void eachBundleIsANamedModuleExportingItsApi() {
        for (String name : List.of("io.piecework.api", "io.piecework.bencode", "io.piecework.metainfo")) {
            Module m = layer.findModule(name).orElseThrow(() -> new AssertionError("no module " + name));
            assertTrue(m.isNamed());
            assertFalse(m.getDescriptor().isAutomatic(), name + " must have a module-info, not an automatic name");
        }
        Set<String> api = exports("io.piecework.api");
        assertTrue(api.contains("io.piecework.api.metainfo"), api.toString());
        assertTrue(api.stream().allMatch(p -> p.startsWith("io.piecework.api.")), api.toString());
        assertEquals(Set.of("io.piecework.bencode"), exports("io.piecework.bencode"));
        assertEquals(Set.of("io.piecework.metainfo"), exports("io.piecework.metainfo"));
        assertTrue(layer.findModule("roaringbitmap").isPresent(), "the wrapped RoaringBitmap is module roaringbitmap");
        Set<String> requires = layer.findModule("io.piecework.metainfo").orElseThrow().getDescriptor().requires()
                .stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertTrue(requires.containsAll(Set.of("io.piecework.api", "io.piecework.bencode")), requires.toString());
    }

    @Test
    void metainfoLibraryParsesATorrentInsideTheLayer() throws Exception {
        Map<String, Object> info = Map.of("name", "hello.txt", "length", 5L, "piece length", 16384L,
                "pieces", new byte[20]);
        byte[] torrent = Bencode.encodeObject(Map.of("announce", "http://127.0.0.1:6969/announce", "info", info));
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Bencode.encodeObject(info)));

        ClassLoader loader = layer.findLoader("io.piecework.metainfo");
        Class<?> parser = loader.loadClass("io.piecework.metainfo.MetainfoParser");
        assertEquals("io.piecework.metainfo", parser.getModule().getName());
        Object parsed = parser.getMethod("parse", byte[].class).invoke(null, (Object) torrent);

        assertEquals("io.piecework.api", parsed.getClass().getModule().getName());
        assertEquals("hello.txt", call(parsed, "name"));
        assertEquals(expectedHash, call(call(parsed, "infoHash"), "hex"));
        assertEquals(1, call(parsed, "pieceCount"));
    }

    /**
     * The codec and the transport SPI are modules of their own that resolve with no Netty on the
     * module path: a transport other than TCP builds on them without the TCP bundle.
     */
    @Test
    void wireCodecAndTransportSpiResolveWithoutNetty() {
        Path[] jars = {
            Distribution.bundleJar("piecework-api"),
            Distribution.bundleJar("piecework-bencode"),
            Distribution.bundleJar("piecework-roaringbitmap"),
            Distribution.bundleJar("piecework-wire"),
            Distribution.bundleJar("piecework-transport-api"),
            Distribution.systemJar("slf4j-api"),
        };
        Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(jars), ModuleFinder.of(),
                Set.of("io.piecework.wire", "io.piecework.transport.api"));
        ModuleLayer wire = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

        assertEquals(Set.of("io.piecework.wire", "io.piecework.wire.mse"), exports(wire, "io.piecework.wire"));
        assertEquals(Set.of("io.piecework.transport"), exports(wire, "io.piecework.transport.api"));
        Set<String> requires = wire.findModule("io.piecework.transport.api").orElseThrow().getDescriptor().requires()
                .stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertTrue(requires.contains("io.piecework.wire"), requires.toString());
    }

    /** OSGi sees the same split: the SPI exported with a version, Netty only behind the TCP bundle. */
    @Test
    void bundleManifestsKeepNettyInTheTcpTransport() throws IOException {
        String wireImports = manifest("piecework-wire").getMainAttributes().getValue("Import-Package");
        assertFalse(wireImports.contains("io.netty"), wireImports);
        String spi = manifest("piecework-transport-api").getMainAttributes().getValue("Export-Package");
        assertTrue(spi.matches("(?s)(.*,)?io\\.piecework\\.transport;version=\"1\\.\\d+\\.\\d+\".*"), spi);
        Manifest tcp = manifest("piecework-transport-tcp");
        assertNull(tcp.getMainAttributes().getValue("Export-Package"), "the TCP transport's packages are private");
        assertTrue(tcp.getMainAttributes().getValue("Import-Package").contains("io.netty.channel"));
    }

    private static Manifest manifest(String artifactId) throws IOException {
        try (JarFile jar = new JarFile(Distribution.bundleJar(artifactId).toFile())) {
            return jar.getManifest();
        }
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }
}
