package dev.tend.watchers.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Copies one of a child's output pipes into a sink until the end of the stream, on a thread of the context's blocking
 * executor (one per pump: it waits as long as the child writes), so the child never blocks on a full pipe. The end
 * comes when every process holding the pipe's other end has closed it: the command and anything it left running with
 * the same output.
 */
public final class OutputPump {

    private static final int CHUNK = 8192;

    private OutputPump() {
    }

    /**
     * @return completes at the end of the stream (or when reading fails: the pipe is gone either way)
     * @throws java.util.concurrent.RejectedExecutionException when the executor takes no more work
     */
    public static CompletableFuture<Void> start(InputStream in, OutputSink sink, Executor executor) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            byte[] buffer = new byte[CHUNK];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the stream was closed under us: what was read is all there is
            } finally {
                done.complete(null);
            }
        });
        return done;
    }
}
