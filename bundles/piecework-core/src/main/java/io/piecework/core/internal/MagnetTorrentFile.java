package io.piecework.core.internal;

import io.piecework.api.metainfo.MagnetLink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The .torrent a magnet link becomes once its info dictionary is in and verified: the link's
 * trackers as tiers ({@code announce}, {@code announce-list}) and its BEP 19 {@code ws} web seeds
 * as {@code url-list} (BEP 9 metadata is the info dictionary alone, so a link's web seeds are
 * the only ones such a torrent can have). Keys in bencode's sorted order.
 */
final class MagnetTorrentFile {
    private MagnetTorrentFile() {
    }

    static byte[] of(MagnetLink magnet, byte[] info) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(info.length + 256);
        out.write('d');
        List<String> trackers = magnet.trackers();
        if (!trackers.isEmpty()) {
            string(out, "announce");
            string(out, trackers.get(0));
            string(out, "announce-list");
            out.write('l');
            for (String tr : trackers) {
                out.write('l');
                string(out, tr);
                out.write('e');
            }
            out.write('e');
        }
        string(out, "info");
        out.writeBytes(info);
        if (!magnet.webSeeds().isEmpty()) {
            string(out, "url-list");
            out.write('l');
            magnet.webSeeds().forEach(w -> string(out, w));
            out.write('e');
        }
        out.write('e');
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
    }
}
