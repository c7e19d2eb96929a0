package io.piecework.core.internal;

import io.piecework.api.metainfo.MagnetLink;
import java.io.ByteArrayOutputStream;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.V2Files;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
        return of(magnet, info, new TreeMap<>(Arrays::compareUnsigned));
    }

    /**
     * With BEP 52 {@code piece layers} fetched from peers, keyed by pieces root (bencode sorts
     * keys as unsigned bytes, hence the map's order), so the saved file and the session's copy
     * need not ask peers again.
     */
    static byte[] of(MagnetLink magnet, byte[] info, SortedMap<byte[], byte[]> layersByRoot) {
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
        if (!layersByRoot.isEmpty()) {
            string(out, "piece layers");
            out.write('d');
            layersByRoot.forEach((root, layer) -> {
                bytes(out, root);
                bytes(out, layer);
            });
            out.write('e');
        }
        if (!magnet.webSeeds().isEmpty()) {
            string(out, "url-list");
            out.write('l');
            magnet.webSeeds().forEach(w -> string(out, w));
            out.write('e');
        }
        out.write('e');
        return out.toByteArray();
    }

    /** The layers of {@code layers} (by file index) keyed by their files' pieces roots, as bencode orders them. */
    static SortedMap<byte[], byte[]> byRoot(TorrentMetainfo metainfo, Map<Integer, byte[]> layers) {
        SortedMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
        V2Files v2 = metainfo.v2Files().orElseThrow();
        layers.forEach((file, layer) -> out.put(v2.root(file), layer));
        return out;
    }

    private static void string(ByteArrayOutputStream out, String s) {
        bytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
    }
}
