package io.piecework.webseed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSeedUrlsTest {
    @Test
    void singleFileAppendsTheNameOnlyToAFolderUrl() {
        TorrentMetainfo t = Torrents.single("file.iso", 10, 16_384, List.of());
        assertEquals(URI.create("http://mirror.example/pub/file.iso"),
                WebSeedUrls.file(WebSeedUrls.base("http://mirror.example/pub/"), t, t.files().get(0)));
        assertEquals(URI.create("http://mirror.example/other-name.iso"),
                WebSeedUrls.file(WebSeedUrls.base("http://mirror.example/other-name.iso"), t, t.files().get(0)));
    }

    @Test
    void multiFileAppendsTheNameAndThePathAsBep19Shows() {
        TorrentMetainfo t = Torrents.multi("michael", 16_384, List.of(), "Readme.txt", 949, "sub/dir file.txt", 3);
        URI base = WebSeedUrls.base("http://mirror.com/pub/");
        assertEquals(URI.create("http://mirror.com/pub/michael/Readme.txt"), WebSeedUrls.file(base, t, t.files().get(0)));
        assertEquals(URI.create("http://mirror.com/pub/michael/sub/dir%20file.txt"),
                WebSeedUrls.file(base, t, t.files().get(1)));
        // A multi-file entry is a folder whether or not it ends in '/'.
        assertEquals(URI.create("http://mirror.com/pub/michael/Readme.txt"),
                WebSeedUrls.file(WebSeedUrls.base("http://mirror.com/pub"), t, t.files().get(0)));
    }

    @Test
    void hostileNamesStayInsideTheirSegment() {
        assertEquals("%2E%2E", WebSeedUrls.segment(".."));
        assertEquals("%2E", WebSeedUrls.segment("."));
        assertEquals("..%2F..%2Fetc%2Fpasswd", WebSeedUrls.segment("../../etc/passwd"));
        assertEquals("a%3Fb%23c%25d%5C", WebSeedUrls.segment("a?b#c%d\\"));
        assertEquals("%C3%A9t%C3%A9.txt", WebSeedUrls.segment("été.txt"));
        TorrentMetainfo t = Torrents.multi("..", 16_384, List.of(), List.of("../x"), 1);
        URI url = WebSeedUrls.file(WebSeedUrls.base("https://h.example/seed/"), t, t.files().get(0));
        assertEquals("https://h.example/seed/%2E%2E/..%2Fx", url.toString());
        assertEquals("/seed/%2E%2E/..%2Fx", url.normalize().getRawPath(), "nothing for a normalizer to climb");
    }

    @Test
    void takesOnlyHttpAndHttpsUrlsWithAHost() {
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("ftp://mirror.example/pub/"));
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("file:///etc/"));
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("http:///nohost/"));
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("http://h/a b/"));
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("http://h/pub/?token=1/"));
        assertThrows(IllegalArgumentException.class, () -> WebSeedUrls.base("http://h/pub/#frag"));
        assertEquals(URI.create("HTTPS://h.example:8443/x"), WebSeedUrls.base("HTTPS://h.example:8443/x"));
    }

    @Test
    void usableSeedsSkipTheBadOnesAndDuplicatesAndKeepTheCap() {
        List<URI> seeds = WebSeeds.usable(List.of("ftp://a/", "http://a/", "http://a/", "not a url", "http://b/",
                "http://c/"), 2, "t");
        assertEquals(List.of(URI.create("http://a/"), URI.create("http://b/")), seeds);
    }
}
