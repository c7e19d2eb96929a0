package io.piecework.webseed.internal;

import java.net.URI;

/** Why a range request failed, and what it means for the web seed. */
final class WebSeedException extends Exception {
    enum Kind {
        /** Worth asking again later (503, a refused connection, a cut body): back off, then retry. */
        RETRY,
        /** The seed is no use (404, a wrong range, more bytes than asked): drop it like a bad peer. */
        DROP,
        /** Asked to go elsewhere: {@link #location()} holds where. */
        REDIRECT
    }

    private final Kind kind;
    private final long retryAfterSeconds;
    private final URI location;

    private WebSeedException(Kind kind, String message, long retryAfterSeconds, URI location) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
        this.location = location;
    }

    static WebSeedException retry(String message) {
        return new WebSeedException(Kind.RETRY, message, 0, null);
    }

    static WebSeedException retry(String message, long afterSeconds) {
        return new WebSeedException(Kind.RETRY, message, afterSeconds, null);
    }

    static WebSeedException drop(String message) {
        return new WebSeedException(Kind.DROP, message, 0, null);
    }

    static WebSeedException redirect(URI location) {
        return new WebSeedException(Kind.REDIRECT, "redirected to " + location, 0, location);
    }

    Kind kind() {
        return kind;
    }

    /** What the server's Retry-After asked for, 0 if nothing. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    URI location() {
        return location;
    }
}
