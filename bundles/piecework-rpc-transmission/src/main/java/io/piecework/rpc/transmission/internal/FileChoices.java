package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonObject;
import io.piecework.api.engine.TorrentHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file arguments of {@code torrent-add} and {@code torrent-set}: {@code files-wanted},
 * {@code files-unwanted}, {@code priority-high|normal|low}, each a list of file indices where
 * an empty list means every file (as Transmission reads them).
 */
final class FileChoices {
    private final Map<String, List<Integer>> lists;

    private FileChoices(Map<String, List<Integer>> lists) {
        this.lists = lists;
    }

    static FileChoices of(JsonObject args) throws RpcException {
        Map<String, List<Integer>> lists = new LinkedHashMap<>();
        for (String key : List.of("files-wanted", "files-unwanted", "priority-high", "priority-normal", "priority-low")) {
            List<Integer> files = Requests.integers(args, key);
            if (files != null) {
                lists.put(key, files);
            }
        }
        return new FileChoices(lists);
    }

    boolean isEmpty() {
        return lists.isEmpty();
    }

    /** Refuses an index outside the torrent before anything is applied. */
    void check(int fileCount) throws RpcException {
        for (var e : lists.entrySet()) {
            for (int i : e.getValue()) {
                if (i < 0 || i >= fileCount) {
                    throw new RpcException(e.getKey() + ": file " + i + " does not exist (the torrent has "
                            + fileCount + " files, numbered from 0)");
                }
            }
        }
    }

    void apply(TorrentHandle handle, TorrentBook.Entry entry, int fileCount) throws RpcException {
        check(fileCount);
        for (var e : lists.entrySet()) {
            Boolean want = switch (e.getKey()) {
                case "files-wanted" -> true;
                case "files-unwanted" -> false;
                default -> null;
            };
            Integer priority = switch (e.getKey()) {
                case "priority-high" -> TorrentBook.HIGH;
                case "priority-normal" -> TorrentBook.NORMAL;
                case "priority-low" -> TorrentBook.LOW;
                default -> null;
            };
            for (int file : indices(e.getValue(), fileCount)) {
                entry.set(handle, fileCount, file, want, priority);
            }
        }
    }

    private static List<Integer> indices(List<Integer> given, int fileCount) {
        if (!given.isEmpty()) {
            return given;
        }
        List<Integer> all = new ArrayList<>(fileCount);
        for (int i = 0; i < fileCount; i++) {
            all.add(i);
        }
        return all;
    }
}
