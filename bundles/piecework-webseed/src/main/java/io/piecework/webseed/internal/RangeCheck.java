package io.piecework.webseed.internal;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a response to {@code Range: bytes=offset-(offset+length-1)} from its status and
 * headers, before any byte of its body is read:
 * <ul>
 *   <li>206 with exactly the range asked in Content-Range (and the file's size, when given) and a
 *       Content-Length, if any, of the range's length: read it;</li>
 *   <li>200 (the whole file, the server ignoring Range): read it only when the range asked is the
 *       whole file and the length matches; otherwise the server would send the whole file for
 *       every range, so the seed is dropped;</li>
 *   <li>a redirect: followed (bounded elsewhere); 408, 429 and 5xx: retried after a backoff
 *       (Retry-After honoured up to a bound); any other status, a compressed body, a multipart
 *       answer or a wrong range: the seed is dropped.</li>
 * </ul>
 */
final class RangeCheck {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
    static final long MAX_RETRY_AFTER_SECONDS = 300;

    private RangeCheck() {
    }

    /** @throws WebSeedException unless the body that follows is the range asked */
    static void check(URI uri, int status, HttpHeaders headers, long offset, long length, long fileLength)
            throws WebSeedException {
        switch (status) {
            case 206 -> partial(headers, offset, length, fileLength);
            case 200 -> {
                if (offset != 0 || length != fileLength) {
                    throw WebSeedException.drop("ignores Range (200 for " + length + " of the file's "
                            + fileLength + " bytes)");
                }
                sameLength(headers, length);
            }
            case 301, 302, 303, 307, 308 -> {
                String location = headers.firstValue("location")
                        .orElseThrow(() -> WebSeedException.drop("redirect " + status + " without a Location"));
                try {
                    throw WebSeedException.redirect(uri.resolve(location.trim()));
                } catch (IllegalArgumentException e) {
                    throw WebSeedException.drop("redirect to a bad Location");
                }
            }
            default -> {
                if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
                    throw WebSeedException.retry("HTTP " + status, retryAfter(headers));
                }
                throw WebSeedException.drop("HTTP " + status);
            }
        }
        String encoding = headers.firstValue("content-encoding").orElse("identity").trim();
        if (!encoding.equalsIgnoreCase("identity")) {
            throw WebSeedException.drop("a " + encoding + " body, not the bytes asked");
        }
    }

    private static void partial(HttpHeaders headers, long offset, long length, long fileLength)
            throws WebSeedException {
        String type = headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            throw WebSeedException.drop("a multipart answer to one range");
        }
        String range = headers.firstValue("content-range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range.trim());
        if (!m.matches()) {
            throw WebSeedException.drop("206 without a readable Content-Range");
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first != offset || last != offset + length - 1) {
            throw WebSeedException.drop("sent bytes " + first + "-" + last + " for " + offset + "-" + (offset + length - 1));
        }
        if (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != fileLength) {
            throw WebSeedException.drop("has the file at " + m.group(3) + " bytes, the torrent at " + fileLength);
        }
        sameLength(headers, length);
    }

    private static void sameLength(HttpHeaders headers, long length) throws WebSeedException {
        OptionalLong declared;
        try {
            declared = headers.firstValueAsLong("content-length");
        } catch (NumberFormatException e) {
            throw WebSeedException.drop("an unreadable Content-Length");
        }
        if (declared.isPresent() && declared.getAsLong() != length) {
            throw WebSeedException.drop("announced " + declared.getAsLong() + " bytes for " + length);
        }
    }

    /** Retry-After in seconds (an HTTP date counts as nothing), at most {@link #MAX_RETRY_AFTER_SECONDS}. */
    private static long retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("retry-after").orElse("").trim();
        if (!value.matches("\\d{1,9}")) {
            return 0;
        }
        return Math.min(MAX_RETRY_AFTER_SECONDS, Long.parseLong(value));
    }
}
