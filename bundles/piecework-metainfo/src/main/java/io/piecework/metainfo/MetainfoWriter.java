package io.piecework.metainfo;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a .torrent. The {@code info} dictionary is copied byte for byte from
 * {@link TorrentMetainfo#infoBytes()}, never re-encoded, so the info-hash cannot change even if
 * the original held keys this parser does not model. A v2 or hybrid torrent's verified
 * {@code piece layers} are written back beside it.
 */
public final class MetainfoWriter {
    private MetainfoWriter() {
    }

    public static byte[] write(TorrentMetainfo torrent) {
        // Keys sorted by their bytes, as bencode requires; all keys here are ASCII.
        Map<String, Object> top = new TreeMap<>();
        List<List<String>> tiers = torrent.trackerTiers();
        if (!tiers.isEmpty()) {
            top.put("announce", tiers.get(0).get(0));
            if (tiers.size() > 1 || tiers.get(0).size() > 1) {
                top.put("announce-list", tiers);
            }
        }
        if (!torrent.webSeeds().isEmpty()) {
            top.put("url-list", torrent.webSeeds());
        }
        torrent.comment().ifPresent(c -> top.put("comment", c));
        torrent.createdBy().ifPresent(c -> top.put("created by", c));
        torrent.creationDate().ifPresent(d -> top.put("creation date", d));
        top.put("info", null); // placeholder: its position in key order
        torrent.v2Files().ifPresent(v2 -> {
            Map<String, BValue> layers = new TreeMap<>();
            for (int i = 0; i < v2.layers().size(); i++) {
                ByteBuffer layer = v2.layer(i);
                if (layer != null) {
                    // Keys are raw bytes; BDictionary holds them as Latin-1, one char per byte.
                    layers.put(new String(v2.root(i), StandardCharsets.ISO_8859_1), BString.of(bytes(layer)));
                }
            }
            if (!layers.isEmpty()) {
                top.put(V2Metainfo.LAYERS, BDictionary.of(layers));
            }
        });

        ByteArrayOutputStream out = new ByteArrayOutputStream(torrent.infoBytes().length + 512);
        out.write('d');
        for (Map.Entry<String, Object> e : top.entrySet()) {
            out.writeBytes(Bencode.encodeObject(e.getKey()));
            out.writeBytes(e.getValue() == null ? torrent.infoBytes() : Bencode.encodeObject(e.getValue()));
        }
        out.write('e');
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
