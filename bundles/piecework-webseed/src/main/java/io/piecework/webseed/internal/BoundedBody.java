package io.piecework.webseed.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Takes a response body of exactly {@code length} bytes into one array, allocated once: a byte
 * more and the seed is dropped (the body is cut off there, never read on), a body that ends
 * short is retried (a connection cut mid-way). Memory is bounded by the range asked, whatever
 * the server sends.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final byte[] bytes;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private int received;

    BoundedBody(int length) {
        this.bytes = new byte[length];
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE); // the array is already there: nothing to hold back
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            if (n > bytes.length - received) {
                fail(WebSeedException.drop("sent more than the " + bytes.length + " bytes asked"));
                return;
            }
            b.get(bytes, received, n);
            received += n;
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        if (received < bytes.length) {
            result.completeExceptionally(WebSeedException.retry("body ended after " + received + " of "
                    + bytes.length + " bytes"));
        } else {
            result.complete(bytes);
        }
    }

    /** Stops reading: the body failed a check, the request timed out or the seed closed. */
    void fail(Throwable why) {
        result.completeExceptionally(why);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
