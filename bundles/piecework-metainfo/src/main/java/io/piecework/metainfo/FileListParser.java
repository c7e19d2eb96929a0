package io.piecework.metainfo;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.text.Untrusted;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code files} list of a multi-file info dictionary, sanitising every path.
 * Every check here is linear in the size of the list: a hostile torrent of thousands of
 * files each a thousand folders deep once made the duplicate check build every prefix of
 * every path (quadratic, gigabytes); now folders are nodes of one tree, visited once per
 * component, and depth and total path size are bounded (see {@link MetainfoParser}).
 */
final class FileListParser {
    private static final String LEGACY_PAD_PREFIX = "_____padding_file_";

    private FileListParser() {
    }

    static List<FileEntry> parse(BList files) throws InvalidTorrentException {
        if (files.size() == 0) {
            throw new InvalidTorrentException("info.files", "the file list is empty");
        }
        List<FileEntry> out = new ArrayList<>(files.size());
        Folder root = new Folder();
        long offset = 0;
        long pathBytes = 0;
        for (int i = 0; i < files.size(); i++) {
            String where = "info.files[" + i + "]";
            BDictionary file = Fields.dictionary(files.get(i), where);
            long length = Fields.integer(Fields.require(file, "length", where), where + ".length");
            if (length < 0) {
                throw new InvalidTorrentException(where + ".length", "negative file length " + length);
            }
            String pathKey = file.get("path.utf-8") instanceof BList ? "path.utf-8" : "path";
            BList rawList = Fields.list(Fields.require(file, pathKey, where), where + "." + pathKey);
            if (rawList.size() > MetainfoParser.MAX_PATH_DEPTH) {
                throw new InvalidTorrentException(where + "." + pathKey, "path of " + rawList.size()
                        + " components is deeper than the limit of " + MetainfoParser.MAX_PATH_DEPTH);
            }
            List<String> raw = strings(rawList, where + "." + pathKey);
            boolean pad = isPad(file, raw, length);
            List<String> path = PathSanitizer.path(raw, where + "." + pathKey);
            pathBytes += PathSanitizer.utf8Length(path) + 1;
            if (pathBytes > MetainfoParser.MAX_TOTAL_PATH_BYTES) {
                throw new InvalidTorrentException(where + "." + pathKey, "the paths of the first " + (i + 1)
                        + " files exceed the limit of " + MetainfoParser.MAX_TOTAL_PATH_BYTES + " bytes in all");
            }
            if (!pad) {
                root.add(path, where + "." + pathKey);
            }
            out.add(new FileEntry(path, length, offset, pad));
            try {
                offset = Math.addExact(offset, length);
            } catch (ArithmeticException e) {
                throw new InvalidTorrentException(where + ".length", "total size overflows 64 bits");
            }
        }
        return out;
    }

    /**
     * BEP 47 marks pad files with {@code attr} containing 'p'. Older writers left no attr but
     * used tell-tale names: {@code .pad/<length>} (libtorrent's layout; libtorrent 2.0.8 itself
     * only trusts attr) and BitComet's {@code _____padding_file_...}.
     */
    static boolean isPad(BDictionary file, List<String> rawPath, long length) {
        if (file.get("attr") instanceof BString attr && attr.latin1().indexOf('p') >= 0) {
            return true;
        }
        if (rawPath.size() == 2 && rawPath.get(0).equals(".pad")) {
            return rawPath.get(1).equals(Long.toString(length));
        }
        return rawPath.size() == 1 && rawPath.get(0).startsWith(LEGACY_PAD_PREFIX);
    }

    private static List<String> strings(BList list, String where) throws InvalidTorrentException {
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            BValue v = list.get(i);
            String at = where + "[" + i + "]";
            out.add(Fields.name(Fields.string(v, at), at));
        }
        return out;
    }

    /**
     * A folder of the torrent: its sub-folders and files by name. Two files on one path, or a
     * file whose path is another file's folder, cannot both exist; walking this tree finds
     * both in one step per path component.
     */
    static final class Folder {
        private final Map<String, Folder> folders = new HashMap<>();
        private final Set<String> files = new HashSet<>();

        void add(List<String> path, String where) throws InvalidTorrentException {
            Folder folder = this;
            int last = path.size() - 1;
            for (int i = 0; i < last; i++) {
                String name = path.get(i);
                if (folder.files.contains(name)) {
                    throw new InvalidTorrentException(where, "'" + shown(path, i) + "' is both a file and a folder");
                }
                folder = folder.folders.computeIfAbsent(name, n -> new Folder());
            }
            String name = path.get(last);
            if (folder.folders.containsKey(name)) {
                throw new InvalidTorrentException(where, "'" + shown(path, last) + "' is both a file and a folder");
            }
            if (!folder.files.add(name)) {
                throw new InvalidTorrentException(where, "duplicate file path '" + shown(path, last)
                        + "' (after sanitising)");
            }
        }

        private static String shown(List<String> path, int upTo) {
            return Untrusted.text(String.join("/", path.subList(0, upTo + 1)), PathSanitizer.SHOWN_CHARS);
        }
    }
}
