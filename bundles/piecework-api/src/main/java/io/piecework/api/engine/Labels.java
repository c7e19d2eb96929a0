package io.piecework.api.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The rules for a torrent's labels ({@link TorrentQueue#labels(io.piecework.api.metainfo.InfoHash, List)}),
 * shared by every place that takes them from outside (a remote, the session file): at most
 * {@link #MAX_COUNT} labels of at most {@link #MAX_LENGTH} characters, no control characters and no comma
 * (Transmission 4 refuses it too: some clients join labels with commas).
 */
public final class Labels {
    public static final int MAX_COUNT = 64;
    public static final int MAX_LENGTH = 128;

    private Labels() {
    }

    /**
     * The labels as kept: trimmed, empty ones dropped, duplicates dropped (first wins).
     *
     * @throws IllegalArgumentException saying which rule a label breaks
     */
    public static List<String> check(List<String> labels) {
        if (labels.size() > MAX_COUNT) {
            throw new IllegalArgumentException(labels.size() + " labels, more than " + MAX_COUNT);
        }
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        for (String raw : labels) {
            if (raw == null) {
                throw new IllegalArgumentException("a label is null");
            }
            String label = raw.strip();
            if (label.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("a label of " + label.length() + " characters, more than " + MAX_LENGTH);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (Character.isISOControl(c) || c == ',' || Character.getType(c) == Character.FORMAT
                        || Character.isSurrogate(c) && !validSurrogate(label, i)) {
                    throw new IllegalArgumentException("label " + (kept.size() + 1) + " has a control character,"
                            + " a comma or a broken character at " + i);
                }
            }
            if (!label.isEmpty()) {
                kept.add(label);
            }
        }
        return List.copyOf(new ArrayList<>(kept));
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
