package io.piecework.api.discovery;

import io.piecework.api.engine.TrackerInfo;
import java.util.List;
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

    /** Each tracker of this announcement and its last result (API 1.2); empty for a source without trackers. */
    default List<TrackerInfo> trackers() {
        return List.of();
    }

    /** Stops announcing: trackers get {@code event=stopped}. */
    @Override
    void close();
}
