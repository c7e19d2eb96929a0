package io.piecework.metainfo;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code files} list of a multi-file info dictionary, sanitising every path. */
final class FileListParser {
    private static final String LEGACY_PAD_PREFIX = "_____padding_file_";

    private FileListParser() {
    }

    static List<FileEntry> parse(BList files) throws InvalidTorrentException {
        if (files.size() == 0) {
            throw new InvalidTorrentException("info.files", "the file list is empty");
        }
        List<FileEntry> out = new ArrayList<>(files.size());
        Set<String> filePaths = new HashSet<>();
        Set<String> folders = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < files.size(); i++) {
            String where = "info.files[" + i + "]";
            BDictionary file = Fields.dictionary(files.get(i), where);
            long length = Fields.integer(Fields.require(file, "length", where), where + ".length");
            if (length < 0) {
                throw new InvalidTorrentException(where + ".length", "negative file length " + length);
            }
            String pathKey = file.get("path.utf-8") instanceof BList ? "path.utf-8" : "path";
            List<String> raw = strings(Fields.list(Fields.require(file, pathKey, where), where + "." + pathKey),
                    where + "." + pathKey);
            boolean pad = isPad(file, raw, length);
            List<String> path = PathSanitizer.path(raw, where + "." + pathKey);
            if (!pad) {
                checkUnique(path, filePaths, folders, where + "." + pathKey);
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
            out.add(Fields.name(Fields.string(v, where + "[" + i + "]")));
        }
        return out;
    }

    /** Two files on one path, or a file whose path is another file's folder, cannot both exist. */
    private static void checkUnique(List<String> path, Set<String> files, Set<String> folders, String where)
            throws InvalidTorrentException {
        String joined = String.join("/", path);
        if (folders.contains(joined)) {
            throw new InvalidTorrentException(where, "'" + joined + "' is both a file and a folder");
        }
        if (!files.add(joined)) {
            throw new InvalidTorrentException(where, "duplicate file path '" + joined + "' (after sanitising)");
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(path.get(i));
            String folder = prefix.toString();
            if (files.contains(folder)) {
                throw new InvalidTorrentException(where, "'" + folder + "' is both a file and a folder");
            }
            folders.add(folder);
        }
    }
}
