package io.piecework.api.discovery;

import org.osgi.annotation.versioning.ProviderType;

/** One torrent's announcing at one source. */
@ProviderType
public interface Announcement extends AutoCloseable {
    /** The download completed: trackers get {@code event=completed}. */
    void completed();

    /** Asks for peers now, ahead of schedule (still honouring a tracker's min interval). */
    void announceNow();

    /** A one-line status for the shell: last result, next announce, error if any. */
    String status();

    /** Stops announcing: trackers get {@code event=stopped}. */
    @Override
    void close();
}
