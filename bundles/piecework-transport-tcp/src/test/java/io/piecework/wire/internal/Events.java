package io.piecework.wire.internal;

import io.piecework.transport.testing.EventRecorder;

/** transport-api's shared recorder (its test-jar) under the name this package's tests know. */
class Events extends EventRecorder {
    Events(int pieces) {
        super(pieces);
    }
}
