package io.piecework.core.internal;

import io.piecework.api.engine.Priority;
import java.util.List;

/**
 * The file-priority and piece-order part of a torrent's handle, kept apart from {@link Torrent}
 * (whose file stays small): what a session reads back and sets again after a restart.
 */
interface OrderedHandle extends LimitedHandle {
    /** The torrent's priorities. */
    Priorities priorities();

    @Override
    default List<Priority> filePriorities() {
        return priorities().files();
    }

    @Override
    default void sequential(boolean sequential) {
        priorities().sequential(sequential);
    }

    @Override
    default boolean sequential() {
        return priorities().sequential();
    }
}
