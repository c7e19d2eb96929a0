package io.piecework.session.internal;

import io.piecework.api.engine.Labels;
import io.piecework.api.engine.Priority;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.SeedLimits;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.text.Untrusted;
import io.piecework.bencode.BDictionary;
import io.piecework.bencode.BInteger;
import io.piecework.bencode.BList;
import io.piecework.bencode.BString;
import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import io.piecework.bencode.BencodeLimits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The session file's bencode: {@code d7:versioni1e8:torrentsl...ee}, each torrent a dictionary
 * {@code hash} (40 hex digits), {@code dir} (absolute, normalised, UTF-8), {@code started}
 * (0 or 1), for a magnet whose metadata is unknown {@code magnet}, {@code complete} (1) for a
 * torrent whose wanted pieces were all verified, for a torrent with seeding
 * limits of its own {@code ratio.mode} and {@code idle.mode} (Transmission's 0 the session's,
 * 1 its own, 2 none), {@code ratio.milli} (the ratio times 1000) and {@code idle.minutes}, and its
 * rate limits in bytes per second, {@code down} and {@code up}, when set (absent: unlimited),
 * {@code labels} (a list of strings, {@link Labels}' rules), {@code files} (a byte string, one
 * {@link Priority#level()} per file, when any is not normal), {@code sequential} (1) and the
 * totals of earlier runs {@code uploaded} and {@code downloaded} (bytes, when not 0). The
 * list is in queue order. Whatever is read back is
 * untrusted input (another program, a disk error, a hand edit): anything outside these rules
 * or beyond a limit makes the whole file invalid, so the previous copy is used instead of a
 * half-understood list.
 */
final class SessionCodec {
    static final int VERSION = 1;
    /** Far above any real session; keeps a hostile file from costing more than a few MiB to read. */
    static final int MAX_TORRENTS = 100_000;
    static final int MAX_FILE_BYTES = 64 << 20;
    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_MAGNET_BYTES = 64 << 10;
    /** A rate limit beyond 1 TiB/s is no limit anyone set. */
    static final long MAX_RATE = 1L << 40;
    /** Far above any real torrent's file count; a torrent with more keeps its priorities until a restart only. */
    static final int MAX_FILES = 1 << 20;
    /** A petabyte: more than anyone moves with one torrent. */
    static final long MAX_TOTAL = 1L << 50;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, MAX_FILES, MAX_FILE_BYTES,
            MAX_TORRENTS * 30 + 10);
    /** A ratio beyond any use (uploading a million times over); keeps the arithmetic sane. */
    static final long MAX_RATIO_MILLI = 1_000_000_000L;
    static final long MAX_IDLE_MINUTES = 10L * 365 * 24 * 60;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{40}");

    private SessionCodec() {
    }

    static byte[] encode(List<SessionEntry> entries) {
        List<Map<String, Object>> torrents = new ArrayList<>(entries.size());
        for (SessionEntry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("hash", e.infoHash().hex());
            t.put("dir", e.downloadDir().toString());
            t.put("started", e.started() ? 1L : 0L);
            if (e.isMagnet()) {
                t.put("magnet", e.magnetUri());
            }
            if (e.complete()) {
                t.put("complete", 1L);
            }
            if (!e.seed().equals(SeedLimits.GLOBAL)) {
                t.put("ratio.mode", (long) e.seed().ratioMode().ordinal());
                t.put("ratio.milli", Math.round(e.seed().ratio() * 1000));
                t.put("idle.mode", (long) e.seed().idleMode().ordinal());
                t.put("idle.minutes", (long) e.seed().idleMinutes());
            }
            if (e.limits().downloadBytesPerSecond() > 0) {
                t.put("down", e.limits().downloadBytesPerSecond());
            }
            if (e.limits().uploadBytesPerSecond() > 0) {
                t.put("up", e.limits().uploadBytesPerSecond());
            }
            encodeKept(e.kept(), t);
            torrents.add(t);
        }
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("version", (long) VERSION);
        session.put("torrents", torrents);
        return Bencode.encodeObject(session);
    }

    private static void encodeKept(SessionEntry.Kept k, Map<String, Object> t) {
        if (!k.labels().isEmpty()) {
            t.put("labels", k.labels());
        }
        if (k.files().stream().anyMatch(p -> p != Priority.NORMAL) && k.files().size() <= MAX_FILES) {
            byte[] levels = new byte[k.files().size()];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = (byte) k.files().get(i).level();
            }
            t.put("files", levels);
        }
        if (k.sequential()) {
            t.put("sequential", 1L);
        }
        if (k.uploaded() > 0) {
            t.put("uploaded", Math.min(MAX_TOTAL, k.uploaded()));
        }
        if (k.downloaded() > 0) {
            t.put("downloaded", Math.min(MAX_TOTAL, k.downloaded()));
        }
    }

    static List<SessionEntry> decode(byte[] bytes) throws InvalidSessionException {
        BValue root;
        try {
            root = Bencode.decode(bytes, LIMITS);
        } catch (BencodeException e) {
            throw new InvalidSessionException("not a session file: " + e.getMessage());
        }
        if (!(root instanceof BDictionary session)) {
            throw new InvalidSessionException("not a session file: the top level is not a dictionary");
        }
        long version = session.integer("version").map(BInteger::value).orElse(-1L);
        if (version != VERSION) {
            throw new InvalidSessionException("version " + version + " is not " + VERSION);
        }
        BList torrents = session.list("torrents")
                .orElseThrow(() -> new InvalidSessionException("no list of torrents"));
        if (torrents.size() > MAX_TORRENTS) {
            throw new InvalidSessionException(torrents.size() + " torrents, more than the limit of " + MAX_TORRENTS);
        }
        List<SessionEntry> entries = new ArrayList<>(torrents.size());
        Set<InfoHash> seen = new HashSet<>();
        for (int i = 0; i < torrents.size(); i++) {
            SessionEntry e = entry(torrents.get(i), i);
            if (!seen.add(e.infoHash())) {
                throw new InvalidSessionException("torrent " + i + ": " + e.infoHash().hex() + " is listed twice");
            }
            entries.add(e);
        }
        return entries;
    }

    private static SessionEntry entry(BValue value, int index) throws InvalidSessionException {
        if (!(value instanceof BDictionary t)) {
            throw new InvalidSessionException("torrent " + index + " is not a dictionary");
        }
        String hash = text(t, "hash", index, 40);
        if (!HEX.matcher(hash).matches()) {
            throw new InvalidSessionException("torrent " + index + ": hash '" + Untrusted.text(hash, 80)
                    + "' is not 40 lower-case hex digits");
        }
        long started = t.integer("started").map(BInteger::value).orElse(-1L);
        if (started != 0 && started != 1) {
            throw new InvalidSessionException("torrent " + index + ": started must be 0 or 1, got " + started);
        }
        String magnet = t.containsKey("magnet") ? text(t, "magnet", index, MAX_MAGNET_BYTES) : "";
        if (t.containsKey("magnet") && !magnet.startsWith("magnet:?")) {
            throw new InvalidSessionException("torrent " + index + ": the magnet is not a magnet link");
        }
        return new SessionEntry(InfoHash.parse(hash), folder(text(t, "dir", index, MAX_PATH_BYTES), index),
                started == 1, magnet, seed(t, index), t.containsKey("complete") && number(t, "complete", index, 1) == 1,
                new RateLimits(rate(t, "down", index), rate(t, "up", index)), kept(t, index));
    }

    private static SessionEntry.Kept kept(BDictionary t, int index) throws InvalidSessionException {
        List<String> labels = new ArrayList<>();
        if (t.containsKey("labels")) {
            BList list = t.list("labels").orElseThrow(() -> new InvalidSessionException("torrent " + index
                    + ": labels is not a list"));
            if (list.size() > Labels.MAX_COUNT) {
                throw new InvalidSessionException("torrent " + index + ": more than " + Labels.MAX_COUNT + " labels");
            }
            for (int i = 0; i < list.size(); i++) {
                BValue v = list.get(i);
                if (!(v instanceof BString label) || label.length() > Labels.MAX_LENGTH * 4) {
                    throw new InvalidSessionException("torrent " + index + ": a label is not a string of at most "
                            + Labels.MAX_LENGTH + " characters");
                }
                labels.add(utf8(label.bytes(), index, "a label"));
            }
            try {
                labels = Labels.check(labels);
            } catch (IllegalArgumentException e) {
                throw new InvalidSessionException("torrent " + index + ": " + e.getMessage());
            }
        }
        List<Priority> files = new ArrayList<>();
        if (t.containsKey("files")) {
            BString levels = t.string("files").orElseThrow(() -> new InvalidSessionException("torrent " + index
                    + ": files is not a string of priorities"));
            Priority[] byLevel = Priority.values();
            for (byte b : levels.bytes()) {
                if (b < 0 || b >= byLevel.length || byLevel[b].level() != b) {
                    throw new InvalidSessionException("torrent " + index + ": file priority " + b + " is not 0 to "
                            + (byLevel.length - 1));
                }
                files.add(byLevel[b]);
            }
        }
        boolean sequential = t.containsKey("sequential") && number(t, "sequential", index, 1) == 1;
        long uploaded = t.containsKey("uploaded") ? number(t, "uploaded", index, MAX_TOTAL) : 0;
        long downloaded = t.containsKey("downloaded") ? number(t, "downloaded", index, MAX_TOTAL) : 0;
        return new SessionEntry.Kept(labels, files, sequential, uploaded, downloaded);
    }

    private static long rate(BDictionary t, String key, int index) throws InvalidSessionException {
        if (!t.containsKey(key)) {
            return 0;
        }
        long rate = t.integer(key).map(BInteger::value).orElse(-1L);
        if (rate < 1 || rate > MAX_RATE) {
            throw new InvalidSessionException("torrent " + index + ": " + key + " must be a rate from 1 to " + MAX_RATE
                    + " bytes per second");
        }
        return rate;
    }

    private static SeedLimits seed(BDictionary t, int index) throws InvalidSessionException {
        if (!t.containsKey("ratio.mode")) {
            return SeedLimits.GLOBAL;
        }
        SeedLimits.Mode[] modes = SeedLimits.Mode.values();
        long ratioMode = number(t, "ratio.mode", index, modes.length - 1);
        long ratio = number(t, "ratio.milli", index, MAX_RATIO_MILLI);
        long idleMode = number(t, "idle.mode", index, modes.length - 1);
        long idle = number(t, "idle.minutes", index, MAX_IDLE_MINUTES);
        return new SeedLimits(modes[(int) ratioMode], ratio / 1000.0, modes[(int) idleMode], (int) idle);
    }

    private static long number(BDictionary t, String key, int index, long max) throws InvalidSessionException {
        long n = t.integer(key).map(BInteger::value).orElse(-1L);
        if (n < 0 || n > max) {
            throw new InvalidSessionException("torrent " + index + ": " + key + " must be 0 to " + max + ", got " + n);
        }
        return n;
    }

    /** An absolute, normalised path: a relative one would depend on where Piecework starts. */
    private static Path folder(String dir, int index) throws InvalidSessionException {
        Path path;
        try {
            path = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new InvalidSessionException("torrent " + index + ": dir '" + Untrusted.text(dir, 200) + "' is not a path");
        }
        if (!path.isAbsolute() || !path.equals(path.normalize())) {
            throw new InvalidSessionException("torrent " + index + ": dir '" + Untrusted.text(dir, 200)
                    + "' is not an absolute, normalised path");
        }
        return path;
    }

    private static String text(BDictionary t, String key, int index, int maxBytes) throws InvalidSessionException {
        BString s = t.string(key).orElseThrow(() -> new InvalidSessionException("torrent " + index + ": no " + key));
        if (s.length() > maxBytes) {
            throw new InvalidSessionException("torrent " + index + ": " + key + " is " + s.length()
                    + " bytes, more than " + maxBytes);
        }
        return utf8(s.bytes(), index, key);
    }

    private static String utf8(byte[] bytes, int index, String what) throws InvalidSessionException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSessionException("torrent " + index + ": " + what + " is not UTF-8");
        }
    }
}
