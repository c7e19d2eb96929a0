package io.piecework.api.engine;

/**
 * The queue's limits and the global seeding limits (as Transmission's session settings).
 *
 * @param downloadQueueEnabled whether at most {@code downloadQueueSize} torrents download at once
 * @param seedQueueEnabled     whether at most {@code seedQueueSize} torrents seed at once
 * @param ratioLimited         whether seeding stops at {@code ratioLimit} (uploaded / downloaded)
 * @param idleLimited          whether seeding stops after {@code idleMinutes} without uploading
 */
public record QueueLimits(boolean downloadQueueEnabled, int downloadQueueSize, boolean seedQueueEnabled,
                          int seedQueueSize, boolean ratioLimited, double ratioLimit, boolean idleLimited,
                          int idleMinutes) {
    public QueueLimits {
        if (downloadQueueSize < 0 || seedQueueSize < 0 || idleMinutes < 0 || !(ratioLimit >= 0)) {
            throw new IllegalArgumentException("queue sizes, ratio and idle minutes cannot be negative");
        }
    }

    /** Nothing limited. */
    public static final QueueLimits NONE = new QueueLimits(false, 5, false, 10, false, 2.0, false, 30);
}
