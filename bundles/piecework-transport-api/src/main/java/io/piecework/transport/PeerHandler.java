package io.piecework.transport;

import io.piecework.wire.PeerMessageListener;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives one connection's messages and its end; calls come on its event loop, in order. */
@ConsumerType
public interface PeerHandler extends PeerMessageListener {
    /** The send queue fell below its low mark (true) or rose above its high mark (false). */
    default void onWritabilityChanged(boolean writable) {
    }

    /** The connection closed; {@code reason} says why (a violation, a timeout, the peer, us). */
    void onClosed(String reason);
}
