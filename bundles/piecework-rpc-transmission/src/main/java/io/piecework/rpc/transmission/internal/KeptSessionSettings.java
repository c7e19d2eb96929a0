package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What remotes changed with {@code session-set}, kept in a file so the daemon starts with it again:
 * the accepted arguments, merged (the latest value of each wins), as JSON. Written whole or not at
 * all (a temporary file forced to disk and renamed over the old one, as the session file). Read
 * back as untrusted input: a file that is too large or not a JSON object is moved aside as
 * {@code .corrupt} with a log line and nothing is re-applied. The settings themselves are checked
 * again by {@code session-set} when re-applied, so a hand edit cannot slip past its rules.
 */
final class KeptSessionSettings {
    private static final Logger LOG = LoggerFactory.getLogger(KeptSessionSettings.class);
    /** Far above the few dozen settings session-set takes. */
    static final int MAX_BYTES = 64 << 10;
    private final Path file;

    KeptSessionSettings(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The kept arguments; empty when there are none or the file cannot be used. */
    synchronized JsonObject read() {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return new JsonObject();
        } catch (IOException e) {
            LOG.error("session-set settings: cannot read {}: {}", file, e.toString());
            return new JsonObject();
        }
        try {
            if (bytes.length > MAX_BYTES) {
                throw new JsonParseException("larger than " + MAX_BYTES + " bytes");
            }
            JsonElement root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new JsonParseException("not a JSON object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.error("session-set settings: {} is unusable ({}); moved to {}, the configuration's values apply",
                    file, Requests.shown(String.valueOf(e.getMessage())), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.error("session-set settings: cannot move {} aside: {}", file, moveFailed.toString());
            }
            return new JsonObject();
        }
    }

    /** Merges {@code accepted} (arguments session-set applied) into the file. */
    synchronized void record(JsonObject accepted) {
        JsonObject all = read();
        for (Map.Entry<String, JsonElement> e : accepted.entrySet()) {
            all.add(e.getKey(), e.getValue());
        }
        try {
            write(all.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.error("session-set settings: cannot keep them in {} (they hold until Piecework stops): {}", file,
                    e.toString());
        }
    }

    private void write(byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
