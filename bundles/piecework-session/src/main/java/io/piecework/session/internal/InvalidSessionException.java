package io.piecework.session.internal;

import java.io.IOException;

/** A session file that cannot be trusted: truncated, corrupt, or beyond a limit. */
final class InvalidSessionException extends IOException {
    private static final long serialVersionUID = 1L;

    InvalidSessionException(String message) {
        super(message);
    }
}
