package io.piecework.api.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket its owner shares: others send through it and claim the datagrams whose first
 * byte is theirs; the owner keeps the rest. Registered as a service while the owner serves the
 * port; the owner may register it before the socket is bound (so a user holding the port can let
 * go of it), and datagrams sent before that are dropped, as UDP may drop any.
 */
public interface SharedUdpSocket {
    /** The first byte of every KRPC (DHT) datagram: a bencoded dictionary. */
    byte KRPC = 'd';

    /** The address the socket is (or is about to be) bound to; its port is never 0. */
    InetSocketAddress localAddress();

    /**
     * Hands every datagram whose first byte is {@code firstByte} to {@code receiver} instead of
     * the owner, until the returned claim is closed. A receiver that throws has its datagram
     * counted as dropped; nothing reaches the other protocol.
     *
     * @throws IllegalStateException when another user holds that byte, or it is the owner's own
     */
    Claim claim(byte firstByte, Receiver receiver);

    /** Sends one datagram; from any thread; {@code datagram} is read before this returns. */
    void send(ByteBuffer datagram, InetSocketAddress to);

    /** Gets datagrams, on the socket's thread: it must not block, and must copy what it keeps. */
    @FunctionalInterface
    interface Receiver {
        /** @param datagram valid only during the call */
        void datagram(ByteBuffer datagram, InetSocketAddress sender);
    }

    /** A claim on a first byte; closing it gives the byte back to the owner. */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }
}
