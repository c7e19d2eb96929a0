/**
 * Message stream encryption (MSE/PE, Vuze's "Message Stream Encryption" spec): a sans-IO
 * handshake state machine ({@link io.piecework.wire.mse.MseHandshake}), the RC4 stream it keys,
 * the session's policy ({@link io.piecework.wire.mse.EncryptionSettings}, one for every
 * transport), the outgoing retry the other way ({@code io.piecework.transport.MseRetry}, in the transport API) and
 * {@link io.piecework.wire.mse.PolicySource}, how each transport reads that policy, and
 * {@link io.piecework.wire.mse.MseFilter}, the handshake in front of a byte stream for a
 * transport without a Netty pipeline. Imports nothing of Netty; exported for the uTP transport.
 */
@Export
@Version("1.0.0")
package io.piecework.wire.mse;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
