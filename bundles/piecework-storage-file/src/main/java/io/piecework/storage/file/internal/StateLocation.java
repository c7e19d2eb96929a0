package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.storage.StateFolder;
import io.piecework.api.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where resume files live: a per-user folder no torrent writes into, one file per torrent and
 * download folder ({@code <info-hash>-<16 hex digits of the folder's real path's SHA-256>.state}),
 * so the same torrent downloaded into two folders keeps two records. They used to live in
 * {@code <download folder>/.piecework/}, where a torrent whose top folder is named
 * {@code .piecework} could plant a record for another torrent; such legacy records are never
 * trusted (see {@link #removeLegacy}).
 */
final class StateLocation {
    static final String STATE_HOME_PROPERTY = StateFolder.STATE_HOME_PROPERTY;
    static final String LEGACY_FOLDER = ".piecework";

    private StateLocation() {
    }

    /** {@code $XDG_STATE_HOME/piecework/resume}, by default {@code ~/.local/state/piecework/resume} ({@link StateFolder}). */
    static Path defaultDir() {
        return StateFolder.base().resolve("resume");
    }

    /** The resume file of this torrent in this download folder. */
    static Path file(Path stateDir, InfoHash infoHash, Path downloadDir) {
        byte[] folder = real(downloadDir).toString().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(folder);
            return stateDir.resolve(infoHash.hex() + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".state");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The path with links resolved as far as it exists, the rest appended: stable whether or not
     * the download folder has been created yet, and the same for every spelling of it.
     */
    static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null) {
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (IOException e) {
                existing = existing.getParent();
            }
        }
        return absolute;
    }

    static Path legacyFile(Path downloadDir, InfoHash infoHash) {
        return downloadDir.resolve(LEGACY_FOLDER).resolve(infoHash.hex() + ".state");
    }

    /** True if the download folder holds a legacy record for the torrent (links not followed). */
    static boolean hasLegacy(Path downloadDir, InfoHash infoHash) {
        return isRegularFile(legacyFile(downloadDir, infoHash)) && isDirectory(downloadDir.resolve(LEGACY_FOLDER));
    }

    /**
     * Deletes the legacy record and its folder if that is left empty. Links are not followed: a
     * {@code .piecework} that is a link is left alone, so nothing outside the folder is deleted.
     * A record left there would not be trusted anyway, so failures only cost a later retry.
     */
    static void removeLegacy(Path downloadDir, InfoHash infoHash) throws IOException {
        Path folder = downloadDir.resolve(LEGACY_FOLDER);
        if (!isDirectory(folder)) {
            return;
        }
        Path file = legacyFile(downloadDir, infoHash);
        if (isRegularFile(file)) {
            Files.deleteIfExists(file);
        }
        try {
            Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException e) {
            // Other torrents' records, or files of a torrent named ".piecework": leave them.
        }
    }

    private static boolean isRegularFile(Path path) {
        BasicFileAttributes a = SafePaths.lstat(path);
        return a != null && a.isRegularFile();
    }

    private static boolean isDirectory(Path path) {
        BasicFileAttributes a = SafePaths.lstat(path);
        return a != null && a.isDirectory();
    }

    /**
     * Refuses a torrent with a file inside the resume folder: downloaded into the home folder,
     * a torrent named {@code .local} could otherwise write {@code state/piecework/resume/...}.
     */
    static void refuseInside(FileLayout layout, Path stateDir) throws StorageException {
        Path state = real(stateDir);
        Path root = real(layout.root());
        if (!state.startsWith(root) && !root.startsWith(state)) {
            return; // apart: no file can be in there (and no need to look at every file)
        }
        for (int f = 0; f < layout.fileCount(); f++) {
            Path path = layout.path(f);
            if (path != null && root.resolve(layout.root().relativize(path)).startsWith(state)) {
                throw new StorageException(StorageException.Kind.UNSAFE_PATH, layout.metainfo() + ": file " + path
                        + " would be stored in the resume data folder " + stateDir + "; refused");
            }
        }
    }
}
