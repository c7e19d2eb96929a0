package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.piecework.api.metainfo.InvalidTorrentException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void invalidTorrentIsBadInputWithItsMessage() {
        CliException e = Failures.classify(new InvalidTorrentException("byte 812", "expected 'e'"));
        assertEquals(CliException.BAD_INPUT, e.status());
        assertEquals("byte 812: expected 'e'", e.getMessage());
    }

    @Test
    void missingOrUnreadableInputIsBadInput() {
        assertEquals(CliException.BAD_INPUT, Failures.classify(new NoSuchFileException("x.torrent")).status());
        assertEquals("x.torrent: no such file", Failures.classify(new NoSuchFileException("x.torrent")).getMessage());
        assertEquals("x: permission denied", Failures.classify(new AccessDeniedException("x")).getMessage());
    }

    @Test
    void otherIoErrorsAndBugsAreFailures() {
        assertEquals(CliException.FAILED, Failures.classify(new IOException("disk full")).status());
        assertEquals(CliException.FAILED, Failures.classify(new IllegalStateException("bug")).status());
    }

    @Test
    void cliExceptionsPassThrough() {
        CliException e = CliException.usage("missing PATH");
        assertSame(e, Failures.classify(e));
    }
}
