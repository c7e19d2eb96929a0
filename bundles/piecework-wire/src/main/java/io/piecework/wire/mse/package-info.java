/**
 * Message stream encryption (MSE/PE, Vuze's "Message Stream Encryption" spec): a sans-IO
 * handshake state machine, the RC4 stream it keys and the session's policy. Imports nothing of
 * Netty; not exported (the transport in {@code io.piecework.wire.internal} is its only user).
 */
package io.piecework.wire.mse;
