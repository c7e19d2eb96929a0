package io.piecework.transport;

import io.piecework.wire.mse.MsePolicy;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Dials the way the policy prefers and, as libtorrent does, once more the other way when the
 * first attempt reached the peer but failed before its BitTorrent handshake came back: a peer
 * that forces encryption closes a plaintext handshake, one without MSE an encrypted one.
 * A refused or timed-out connect is not retried: the other way would fare no better.
 */
public final class MseRetry {
    /**
     * One attempt's outcome; {@code retryable} tells, once it failed, whether it connected but
     * the peer's handshake never came back.
     */
    public record Attempt(CompletableFuture<PeerConnection> result, BooleanSupplier retryable) {
    }

    private MseRetry() {
    }

    public static CompletableFuture<PeerConnection> connect(MsePolicy policy, Function<Boolean, Attempt> dial) {
        boolean encrypted = policy.encryptFirst();
        Attempt first = dial.apply(encrypted);
        if (!policy.retries()) {
            return first.result();
        }
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        first.result().whenComplete((c, e) -> {
            if (e == null) {
                result.complete(c);
            } else if (!first.retryable().getAsBoolean()) {
                result.completeExceptionally(e);
            } else {
                dial.apply(!encrypted).result().whenComplete((c2, e2) -> {
                    if (e2 == null) {
                        result.complete(c2);
                    } else {
                        result.completeExceptionally(new IOException(reason(e) + "; retried "
                                + (encrypted ? "plaintext: " : "encrypted: ") + reason(e2), e2));
                    }
                });
            }
        });
        return result;
    }

    private static String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage();
    }
}
