package io.piecework.api.text;

/**
 * The one escaping every bundle applies to text it did not write before showing or logging
 * it: a torrent's names and comment, a magnet's {@code dn}, a tracker's warning, a peer's
 * client name. Characters that a terminal acts on instead of showing, or that reorder or
 * break what follows, become a visible {@code \\uXXXX}:
 * <ul>
 *   <li>C0 controls U+0000..U+001F (escape sequences, carriage return, new lines), DEL U+007F
 *       and C1 controls U+0080..U+009F (CSI U+009B is an escape sequence on its own);</li>
 *   <li>bidirectional formatting: U+061C, U+200E, U+200F, U+202A..U+202E (U+202E, the
 *       right-to-left override, makes {@code "exe.txt"} read as {@code "txt.exe"}) and
 *       U+2066..U+2069;</li>
 *   <li>the line and paragraph separators U+2028 and U+2029, and surrogates without a pair.</li>
 * </ul>
 * Everything else, including letters of every script, passes unchanged, so ordinary names
 * read as they are. The result is one line.
 */
public final class Untrusted {
    /** Longest text kept by {@link #text(CharSequence, int)} callers that do not choose. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private Untrusted() {
    }

    /** True for a code point that {@link #text} escapes (and file names must not carry). */
    public static boolean isControl(int codePoint) {
        return codePoint < 0x20 || codePoint >= 0x7f && codePoint <= 0x9f
                || codePoint == 0x061c || codePoint == 0x200e || codePoint == 0x200f
                || codePoint >= 0x202a && codePoint <= 0x202e
                || codePoint >= 0x2066 && codePoint <= 0x2069
                || codePoint == 0x2028 || codePoint == 0x2029
                || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }

    /** The text with every {@link #isControl control} as {@code \\uXXXX}; "null" for null. */
    public static String text(CharSequence s) {
        return text(s, Integer.MAX_VALUE);
    }

    /**
     * As {@link #text(CharSequence)}, cut after {@code maxChars} characters of the input with
     * "..." appended, for text whose length a stranger chooses.
     */
    public static String text(CharSequence s, int maxChars) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), Math.max(0, maxChars));
        if (n == s.length() && isClean(s)) {
            return s.toString();
        }
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(s, i);
            if (isControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return n < s.length() ? sb.append("...").toString() : sb.toString();
    }

    private static boolean isClean(CharSequence s) {
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            if (isControl(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
