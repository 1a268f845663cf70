package dev.tend.watchers.archive;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes an HTTP response body to a file, stopping (and failing with {@link TooLarge}) as soon as it is over
 * {@code maxBytes}; the file is left for the caller to remove.
 */
final class CappedFileSubscriber implements HttpResponse.BodySubscriber<Path> {

    /** The body went over the cap; {@code getMessage()} is one line. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long maxBytes) {
            super("the response is over the limit of " + maxBytes + " bytes");
        }
    }

    private final Path file;
    private final long maxBytes;
    private final CompletableFuture<Path> result = new CompletableFuture<>();
    private FileChannel channel;
    private Flow.Subscription subscription;
    private long written;

    CappedFileSubscriber(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<Path> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            subscription.cancel();
            result.completeExceptionally(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer buffer : buffers) {
                written += buffer.remaining();
                if (written > maxBytes) {
                    throw new TooLarge(maxBytes);
                }
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            subscription.request(1);
        } catch (IOException e) {
            subscription.cancel();
            close();
            result.completeExceptionally(e);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        close();
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        close();
        result.complete(file);
    }

    private void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }
}
