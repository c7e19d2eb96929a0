package io.piecework.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 19 {@code ws=} in magnet links: kept in order, bounded, http(s) only, written back. */
class MagnetLinksWebSeedTest {
    private static final String LINK = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void webSeedsAreReadInOrderOnceEachAndWrittenBack() throws Exception {
        MagnetLink m = MagnetLinks.parse(LINK + "&ws=http%3A%2F%2F127.0.0.1%3A8080%2Fdata%2F&WS=https://mirror.example/"
                + "a%2520b.iso&ws=http%3A%2F%2F127.0.0.1%3A8080%2Fdata%2F");
        assertEquals(List.of("http://127.0.0.1:8080/data/", "https://mirror.example/a%20b.iso"), m.webSeeds());
        assertEquals(m, MagnetLinks.parse(MagnetLinks.format(m)));
        assertTrue(MagnetLinks.parse(LINK).webSeeds().isEmpty());
    }

    @Test
    void otherSchemesBrokenUrlsAndTooManyAreRefusedWithTheReason() {
        String[][] bad = {
            {"&ws=ftp://host/file", "only http and https"},
            {"&ws=file:///etc/passwd", "only http and https"},
            {"&ws=http:///nohost", "no host"},
            {"&ws=http://host/a%20b", "not a URL"},
            {"&ws=" + "http://h/" + "a".repeat(MetainfoParser.MAX_TEXT_BYTES), "longer than"},
        };
        for (String[] b : bad) {
            InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MagnetLinks.parse(LINK + b[0]));
            assertTrue(e.getMessage().contains(b[1]) && e.getMessage().contains("ws"), e.getMessage());
        }
        StringBuilder many = new StringBuilder(LINK);
        for (int i = 0; i <= MagnetLinks.MAX_WEB_SEEDS; i++) {
            many.append("&ws=http://h/").append(i);
        }
        InvalidTorrentException e = assertThrows(InvalidTorrentException.class, () -> MagnetLinks.parse(many.toString()));
        assertTrue(e.getMessage().contains("more than " + MagnetLinks.MAX_WEB_SEEDS), e.getMessage());
    }
}
