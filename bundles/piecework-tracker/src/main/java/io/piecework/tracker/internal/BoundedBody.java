package io.piecework.tracker.internal;

import io.piecework.tracker.TrackerException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit and cancels the exchange past it, so a tracker
 * cannot make us buffer more than that. A Content-Length above the limit fails at once.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final boolean refuse;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private BoundedBody(int max, boolean refuse) {
        this.max = max;
        this.refuse = refuse;
    }

    static HttpResponse.BodyHandler<byte[]> handler(int max) {
        return info -> {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            return new BoundedBody(max, declared > max);
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refuse) {
            s.cancel();
            tooLarge();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (out.size() + (long) b.remaining() > max) {
                subscription.cancel();
                tooLarge();
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    private void tooLarge() {
        result.completeExceptionally(TrackerException.malformed("response larger than " + max + " bytes"));
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
