package io.piecework.metainfo;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.text.Untrusted;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a BEP 52 {@code file tree}: nested dictionaries whose keys are path components, a file
 * being a dictionary with the single key "" holding its {@code length} and {@code pieces root}.
 * Names go through {@link PathSanitizer} exactly as v1 paths do, duplicates after sanitising
 * are refused through the same folder tree, and the same bounds hold: path depth, bytes of all
 * paths together, and (through the decoder) the number of values and the nesting.
 */
final class FileTreeParser {
    static final String WHERE = "info.file tree";

    /** One file of the tree, in tree order (keys sorted at every level, depth first). */
    record V2File(List<String> path, long length, byte[] root) {
    }

    private final List<V2File> files = new ArrayList<>();
    private final FileListParser.Folder folders = new FileListParser.Folder();
    private long pathBytes;

    private FileTreeParser() {
    }

    static List<V2File> parse(BValue tree) throws InvalidTorrentException {
        BDictionary root = Fields.dictionary(tree, WHERE);
        if (root.size() == 0) {
            throw new InvalidTorrentException(WHERE, "the file tree is empty");
        }
        FileTreeParser parser = new FileTreeParser();
        parser.walk(root, new ArrayList<>());
        return parser.files;
    }

    /** True when the tree is one file at its top: a single-file torrent. */
    static boolean singleFile(BValue tree) {
        return tree instanceof BDictionary d && d.size() == 1
                && d.entries().values().iterator().next() instanceof BDictionary f
                && f.size() == 1 && f.containsKey("");
    }

    private void walk(BDictionary folder, List<String> raw) throws InvalidTorrentException {
        for (Map.Entry<String, BValue> e : folder.entries().entrySet()) {
            String at = WHERE + "[" + files.size() + "]";
            if (e.getKey().isEmpty()) {
                throw new InvalidTorrentException(at, raw.isEmpty() ? "a file with an empty path"
                        : "'" + shown(raw) + "' is both a file and a folder");
            }
            if (raw.size() >= MetainfoParser.MAX_PATH_DEPTH) {
                throw new InvalidTorrentException(at, "path of more than " + MetainfoParser.MAX_PATH_DEPTH
                        + " components is deeper than the limit of " + MetainfoParser.MAX_PATH_DEPTH);
            }
            // Keys are Latin-1 views of the raw bytes; names decode them as v1 names are decoded.
            BString key = BString.of(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
            raw.add(Fields.name(key, at));
            BDictionary node = Fields.dictionary(e.getValue(), at);
            if (node.containsKey("")) {
                if (node.size() != 1) {
                    throw new InvalidTorrentException(at, "'" + shown(raw) + "' is both a file and a folder");
                }
                file(Fields.dictionary(node.get(""), at), raw, at);
            } else if (node.size() == 0) {
                throw new InvalidTorrentException(at, "folder '" + shown(raw) + "' holds no files");
            } else {
                walk(node, raw);
            }
            raw.remove(raw.size() - 1);
        }
    }

    private void file(BDictionary leaf, List<String> raw, String at) throws InvalidTorrentException {
        long length = Fields.integer(Fields.require(leaf, "length", at), at + ".length");
        if (length < 0) {
            throw new InvalidTorrentException(at + ".length", "negative file length " + length);
        }
        byte[] root = null;
        if (length > 0) {
            BString r = Fields.string(Fields.require(leaf, "pieces root", at), at + ".pieces root");
            if (r.length() != Merkle.HASH) {
                throw new InvalidTorrentException(at + ".pieces root", "is " + r.length() + " bytes, not 32");
            }
            root = r.bytes();
        }
        List<String> path = PathSanitizer.path(raw, at + ".path");
        pathBytes += PathSanitizer.utf8Length(path) + 1;
        if (pathBytes > MetainfoParser.MAX_TOTAL_PATH_BYTES) {
            throw new InvalidTorrentException(at + ".path", "the paths of the first " + (files.size() + 1)
                    + " files exceed the limit of " + MetainfoParser.MAX_TOTAL_PATH_BYTES + " bytes in all");
        }
        folders.add(path, at + ".path");
        files.add(new V2File(path, length, root));
    }

    private static String shown(List<String> raw) {
        return Untrusted.text(String.join("/", raw), PathSanitizer.SHOWN_CHARS);
    }
}
