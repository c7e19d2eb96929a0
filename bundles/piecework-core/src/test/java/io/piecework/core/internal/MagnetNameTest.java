package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.metainfo.MagnetLinks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A magnet's dn is whatever its author typed: the engine logs and reports it escaped. */
class MagnetNameTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final LoopbackEngines engines = new LoopbackEngines(() -> dir);

    @Test
    void theDisplayNameIsEscapedInTheStats() throws Exception {
        TorrentHandle t = engines.engine("leecher").add(MagnetLinks.parse("magnet:?xt=urn:btih:" + "ab".repeat(20)
                + "&dn=x%1B%5B2J%E2%80%AEy"), AddOptions.in(dir));
        assertEquals("x\\u001b[2J\\u202ey", t.stats().name());
    }
}
