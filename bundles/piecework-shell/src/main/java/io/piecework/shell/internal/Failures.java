package io.piecework.shell.internal;

import io.piecework.api.metainfo.InvalidTorrentException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns what a subcommand throws into an exit status and one line for the user. */
final class Failures {
    private Failures() {
    }

    static CliException classify(Exception e) {
        if (e instanceof CliException c) {
            return c;
        }
        if (e instanceof InvalidTorrentException) {
            return CliException.badInput(e.getMessage());
        }
        // A path the user named that is missing or unreadable is bad input, not a failure.
        if (e instanceof NoSuchFileException f) {
            return CliException.badInput(f.getFile() + ": no such file");
        }
        if (e instanceof AccessDeniedException f) {
            return CliException.badInput(f.getFile() + ": permission denied");
        }
        if (e instanceof FileAlreadyExistsException f) {
            return CliException.badInput(f.getFile() + ": already exists");
        }
        if (e instanceof FileSystemException f) {
            return CliException.failed(f.getFile() + ": " + (f.getReason() == null ? "I/O error" : f.getReason()));
        }
        if (e instanceof IOException) {
            return CliException.failed("I/O error: " + e.getMessage());
        }
        return CliException.failed("internal error: " + e);
    }
}
