package io.piecework.metainfo;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the names a torrent gives (its {@code name} and every file path component) into names
 * that are safe to create below a download folder on Linux, macOS and Windows alike, so one
 * torrent maps to the same files everywhere.
 *
 * <p>Policy. A name that can only be an attack or is meaningless is REJECTED with an
 * {@link InvalidTorrentException} naming the field:
 * <ul>
 *   <li>an empty component, {@code "."} or {@code ".."} (traversal or nothing);</li>
 *   <li>a component containing {@code '/'} or {@code '\\'} (a path smuggled into one component,
 *       including absolute paths such as {@code "/etc/passwd"} or {@code "C:\\x"});</li>
 *   <li>a component containing NUL (truncates names in native code);</li>
 *   <li>a relative path (name and components joined by '/') longer than
 *       {@value #MAX_PATH_BYTES} UTF-8 bytes, leaving room below PATH_MAX for the download folder.</li>
 * </ul>
 * A name that is legitimate somewhere but unsafe or unportable is ESCAPED:
 * <ul>
 *   <li>(by the parser, before this class) bytes that are not valid UTF-8, from legacy code
 *       pages, become {@code %XX} so distinct names stay distinct;</li>
 *   <li>other control characters, the ones {@link Untrusted#isControl} names (C0, DEL, C1,
 *       bidirectional overrides such as U+202E, line separators, lone surrogates), and the
 *       characters Windows forbids ({@code < > : " | ? *}) become {@code '_'}: a name on disk
 *       must not reorder or hide itself in a listing;</li>
 *   <li>trailing dots and spaces (Windows strips them, so two names could collide) become {@code '_'};</li>
 *   <li>Windows device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, any case, with or without an
 *       extension) get a {@code '_'} prefix: {@code "con.txt"} becomes {@code "_con.txt"};</li>
 *   <li>a component longer than {@value #MAX_COMPONENT_BYTES} UTF-8 bytes is cut at a character
 *       boundary, keeping a short extension, and gets {@code '~'} plus 8 hex digits of the SHA-1
 *       of the original name, so two long names with a common prefix stay distinct.</li>
 * </ul>
 * Escaping can make two files collide; the parser rejects torrents where two non-pad files map
 * to the same path, or where a file's path is also used as a folder. Comparison is exact (case
 * sensitive): case-only differences are legitimate on Linux and are storage's concern elsewhere.
 */
public final class PathSanitizer {
    /** Longest file name most file systems allow (ext4, NTFS, APFS: 255). */
    public static final int MAX_COMPONENT_BYTES = 255;
    /** Longest relative path accepted; Linux PATH_MAX is 4096 including the download folder. */
    public static final int MAX_PATH_BYTES = 3072;
    private static final String WINDOWS_FORBIDDEN = "<>:\"|?*";
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");
    private static final int MAX_EXTENSION = 16;
    /** How much of a hostile name an error message shows. */
    static final int SHOWN_CHARS = 80;

    private PathSanitizer() {
    }

    /**
     * Checks and escapes one path component.
     *
     * @param where field path used in the error, e.g. {@code info.files[3].path[1]}
     */
    public static String component(String raw, String where) throws InvalidTorrentException {
        if (raw.isEmpty()) {
            throw new InvalidTorrentException(where, "empty path component");
        }
        if (raw.equals(".") || raw.equals("..")) {
            throw new InvalidTorrentException(where, "path component '" + raw + "' is not allowed (path traversal)");
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            if (c == '/' || c == '\\') {
                throw new InvalidTorrentException(where, "path component contains a path separator '"
                        + (char) c + "': " + printable(raw));
            }
            if (c == 0) {
                throw new InvalidTorrentException(where, "path component contains a NUL character: " + printable(raw));
            }
            if (Untrusted.isControl(c) || WINDOWS_FORBIDDEN.indexOf(c) >= 0) {
                sb.append('_');
            } else {
                sb.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        for (int i = sb.length() - 1; i >= 0 && (sb.charAt(i) == '.' || sb.charAt(i) == ' '); i--) {
            sb.setCharAt(i, '_');
        }
        String name = sb.toString();
        if (isDevice(name)) {
            name = "_" + name;
        }
        if (utf8Length(name) > MAX_COMPONENT_BYTES) {
            name = shorten(name, raw);
        }
        return name;
    }

    /** Sanitises every component and checks the joined length; {@code where} names the list. */
    public static List<String> path(List<String> raw, String where) throws InvalidTorrentException {
        if (raw.isEmpty()) {
            throw new InvalidTorrentException(where, "empty path");
        }
        List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(component(raw.get(i), where + "[" + i + "]"));
        }
        int bytes = utf8Length(out);
        if (bytes > MAX_PATH_BYTES) {
            throw new InvalidTorrentException(where, "path of " + bytes + " bytes is longer than the limit of "
                    + MAX_PATH_BYTES);
        }
        return out;
    }

    /**
     * Resolves sanitised components below {@code root} and checks the result stays inside it
     * (defence in depth: the components were checked when parsed, but FileEntry is public).
     */
    public static Path resolve(Path root, List<String> components) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path p = base;
        for (String c : components) {
            if (c.isEmpty() || c.equals(".") || c.equals("..") || c.indexOf('/') >= 0
                    || c.indexOf('\\') >= 0 || c.indexOf(0) >= 0) {
                throw new IOException("unsafe path component '" + printable(c) + "'");
            }
            p = p.resolve(c);
        }
        Path normal = p.normalize();
        if (!normal.startsWith(base) || normal.equals(base)) {
            throw new IOException("path " + printable(String.join("/", components)) + " escapes " + base);
        }
        return normal;
    }

    /** Where a file of a torrent lives: below a folder named after a multi-file torrent. */
    public static Path resolve(Path downloadDir, TorrentMetainfo torrent, FileEntry file) throws IOException {
        List<String> parts = new ArrayList<>(file.path().size() + 1);
        if (torrent.multiFile()) {
            parts.add(torrent.name());
        }
        parts.addAll(file.path());
        return resolve(downloadDir, parts);
    }

    /** Resolves a file's own path (without the torrent's folder) below {@code root}. */
    public static Path resolve(Path root, FileEntry file) throws IOException {
        return resolve(root, file.path());
    }

    static boolean isDevice(String name) {
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).stripTrailing();
        return DEVICES.contains(stem.toUpperCase(Locale.ROOT));
    }

    private static String shorten(String name, String raw) {
        String tag = "~" + HexFormat.of().formatHex(sha1(raw.getBytes(StandardCharsets.UTF_8)), 0, 4);
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
        int budget = MAX_COMPONENT_BYTES - utf8Length(tag) - utf8Length(ext);
        String stem = name.substring(0, name.length() - ext.length());
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int len = utf8Length(new String(Character.toChars(cp)));
            if (used + len > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out + tag + ext;
    }

    /** UTF-8 bytes of the components joined with '/'. */
    static int utf8Length(List<String> path) {
        int bytes = path.size() - 1;
        for (String c : path) {
            bytes += utf8Length(c);
        }
        return bytes;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** Shows control characters as \\uXXXX so an error message stays one printable line. */
    static String printable(String s) {
        return Untrusted.text(s, SHOWN_CHARS);
    }
}
