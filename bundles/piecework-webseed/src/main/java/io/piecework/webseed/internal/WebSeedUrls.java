package io.piecework.webseed.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The URL of each file of a torrent at one web seed, as BEP 19 builds it: a url-list entry that
 * ends in '/' gets the torrent's name, and for a multi-file torrent the file's path, one
 * percent-encoded segment per name. Every byte of a name but the unreserved ones (RFC 3986) is
 * encoded, '/' included, and a name of dots only is encoded whole: a hostile name never leaves
 * its segment nor climbs the server's path with "..".
 */
final class WebSeedUrls {
    private WebSeedUrls() {
    }

    /**
     * Checks a url-list entry: http or https, a host, no fragment, no query when names must be
     * appended to it. @throws IllegalArgumentException saying what is wrong
     */
    static URI base(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (uri.getRawFragment() != null || (url.endsWith("/") && uri.getRawQuery() != null)) {
            throw new IllegalArgumentException("a query or fragment where names would be appended");
        }
        return uri;
    }

    /** The URL of {@code file} (not a pad file) at the web seed {@code base}. */
    static URI file(URI base, TorrentMetainfo metainfo, FileEntry file) {
        String url = base.toString();
        if (!metainfo.multiFile()) {
            // A single file: the entry names the file itself unless it ends in '/'.
            return url.endsWith("/") ? URI.create(url + segment(metainfo.name())) : base;
        }
        StringBuilder b = new StringBuilder(url);
        if (!url.endsWith("/")) {
            b.append('/'); // BEP 19: for a multi-file torrent the entry is a folder either way
        }
        b.append(segment(metainfo.name()));
        List<String> path = file.path();
        for (String name : path) {
            b.append('/').append(segment(name));
        }
        return URI.create(b.toString());
    }

    /** One path segment: unreserved bytes as they are, everything else percent-encoded. */
    static String segment(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        boolean dotsOnly = !name.isEmpty() && name.chars().allMatch(c -> c == '.');
        StringBuilder b = new StringBuilder(bytes.length + 8);
        for (byte x : bytes) {
            int c = x & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '~' || (c == '.' && !dotsOnly);
            if (unreserved) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
