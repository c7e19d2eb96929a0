package io.piecework.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.engine.TorrentStats;
import io.piecework.api.metainfo.InfoHash;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TorrentsPluginTest {
    private static final String HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script> &amp; \"q\" 'a' \u202Egnp.exe";

    @Test
    void hostileNamesAreShownAsTextNeverAsMarkup() {
        String page = TorrentsPlugin.render(engine(List.of(stats(1, HOSTILE, Optional.of("<b>disk</b> full")))));
        assertFalse(page.contains("<script") || page.contains("<img") || page.contains("<b>"), page);
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp;amp; "
                + "&quot;q&quot; &#39;a&#39; [U+202E]gnp.exe"), page);
        assertTrue(page.contains("&lt;b&gt;disk&lt;/b&gt; full"), "errors are escaped too");
        assertEquals(1, page.split("<tr><td>", -1).length - 1, "one row");
    }

    @Test
    void aRowHasSizeProgressStateRatesPeersAndTheStrategy() {
        String page = TorrentsPlugin.render(engine(List.of(stats(2, "linux.iso", Optional.empty()))));
        assertTrue(page.contains("<tr><td><bdi>linux.iso</bdi></td><td>4.0 MiB</td><td>25.0%</td><td>downloading</td>"
                + "<td>2.0 KiB/s</td><td>512 B/s</td><td>3</td><td>cached</td></tr>"), page);
        assertTrue(page.contains("1 torrent, request strategy cached"), page);
        assertTrue(TorrentsPlugin.render(null).contains("No Piecework engine"));
        TorrentStats magnet = new TorrentStats(InfoHash.of(new byte[20]), "m", TorrentState.DOWNLOADING, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());
        assertTrue(TorrentsPlugin.render(engine(List.of(magnet))).contains("<td>?</td><td>metadata pending</td>"),
                "a magnet without metadata is not shown as complete");
    }

    private static TorrentStats stats(int n, String name, Optional<String> error) {
        byte[] hash = new byte[20];
        Arrays.fill(hash, (byte) n);
        return new TorrentStats(InfoHash.of(hash), name, TorrentState.DOWNLOADING, 16, 4, 4L << 20, 1L << 20, 1L << 20,
                0, 2048, 512, 3, 1, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, error);
    }

    private static TorrentEngine engine(List<TorrentStats> torrents) {
        return (TorrentEngine) Proxy.newProxyInstance(TorrentsPluginTest.class.getClassLoader(),
                new Class<?>[] {TorrentEngine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "torrents" -> torrents.stream().map(TorrentsPluginTest::handle).toList();
                    case "strategy" -> Optional.of("cached");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static TorrentHandle handle(TorrentStats stats) {
        return (TorrentHandle) Proxy.newProxyInstance(TorrentsPluginTest.class.getClassLoader(),
                new Class<?>[] {TorrentHandle.class}, (proxy, method, args) -> {
                    if (method.getName().equals("stats")) {
                        return stats;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
