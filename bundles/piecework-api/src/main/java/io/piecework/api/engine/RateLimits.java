package io.piecework.api.engine;

/**
 * A torrent's download and upload rate limits in bytes per second; 0 is unlimited. They apply
 * on top of the engine's own (configured) limits, and count every byte on the wire.
 */
public record RateLimits(long downloadBytesPerSecond, long uploadBytesPerSecond) {
    public static final RateLimits UNLIMITED = new RateLimits(0, 0);

    /** @throws IllegalArgumentException for a negative rate */
    public RateLimits {
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits are 0 (unlimited) or positive, not "
                    + downloadBytesPerSecond + " down, " + uploadBytesPerSecond + " up");
        }
    }

    public RateLimits withDownload(long bytesPerSecond) {
        return new RateLimits(bytesPerSecond, uploadBytesPerSecond);
    }

    public RateLimits withUpload(long bytesPerSecond) {
        return new RateLimits(downloadBytesPerSecond, bytesPerSecond);
    }
}
