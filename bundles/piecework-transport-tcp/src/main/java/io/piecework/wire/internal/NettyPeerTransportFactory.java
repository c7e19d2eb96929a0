package io.piecework.wire.internal;

import io.piecework.transport.PeerTransportFactory;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.roaringbitmap.RoaringBitmap;

/** Makes transports on Netty with the default settings and a listen address of the caller's. */
@Component(service = PeerTransportFactory.class)
public final class NettyPeerTransportFactory implements PeerTransportFactory {
    @Override
    public OwnedPeerTransport open(String listenAddress, int listenPort) throws IOException {
        return new NettyPeerTransport(TransportSettings.defaults().withListen(listenAddress, listenPort),
                RoaringBitmap::new);
    }
}
