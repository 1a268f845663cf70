package dev.tend.watchers.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Fetches an archive from {@code file:///PATH}, {@code http://}, {@code https://} or, with the agent's store,
 * {@code kv://BUCKET/KEY} ({@link KvArchiveSource}) into a file the caller names
 * (in its private temporary directory), never more than {@link FetchSettings#maxBytes()}. HTTP uses the JDK's client:
 * basic authentication is sent with the request, and then redirects are not followed (so the credentials go to the
 * named host only); without it redirects are followed, never from {@code https} to {@code http}. Any status but 200
 * is a failure, and {@link FetchSettings#timeout()} bounds the whole transfer.
 */
final class SourceFetcher {

    private final String userAgent;
    /** Reads {@code kv://} sources; null: they are refused. */
    private final KvArchiveSource kv;

    SourceFetcher(String userAgent) {
        this(userAgent, null);
    }

    SourceFetcher(String userAgent, KvArchiveSource kv) {
        this.userAgent = userAgent;
        this.kv = kv;
    }

    /** Fetches {@code source} into {@code file} (created or replaced). */
    void fetch(String source, Path file, FetchSettings settings) throws ArchiveFailure {
        fetch(source, file, settings, new CompletableFuture<>());
    }

    /**
     * Fetches {@code source} into {@code file} (created or replaced); an HTTP download ends at once, with a
     * {@link CancellationException}, when {@code stopping} completes.
     */
    void fetch(String source, Path file, FetchSettings settings, CompletableFuture<?> stopping)
            throws ArchiveFailure {
        if (KvArchiveSource.isKv(source)) {
            if (kv == null) {
                throw new ArchiveFailure("source " + source + " needs the agent's store, which this watcher has not");
            }
            kv.fetch(source, file, settings.maxBytes());
            return;
        }
        URI uri = parse(source);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> copyFile(uri, file, settings.maxBytes());
            case "http", "https" -> download(uri, file, settings, stopping);
            default -> throw new ArchiveFailure("source " + redacted(uri)
                    + " is not supported: use file://, http://"
                    + (kv == null ? " or https://" : ", https:// or kv://"));
        }
    }

    private static URI parse(String source) throws ArchiveFailure {
        try {
            return new URI(source);
        } catch (URISyntaxException e) {
            throw new ArchiveFailure("source is not a valid URL: " + e.getReason());
        }
    }

    private static void copyFile(URI uri, Path into, long maxBytes) throws ArchiveFailure {
        if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new ArchiveFailure("source " + uri + " is not a file URL of an absolute path (file:///PATH)");
        }
        Path from = Path.of(uri.getPath());
        try {
            if (!Files.isRegularFile(from)) {
                throw new ArchiveFailure("source " + uri + " is not a regular file");
            }
            long size = Files.size(from);
            if (size > maxBytes) {
                throw new ArchiveFailure("source " + uri + " is " + size + " bytes, over the limit of " + maxBytes);
            }
            try (InputStream in = Files.newInputStream(from);
                 OutputStream out = Files.newOutputStream(into, StandardOpenOption.CREATE,
                         StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[64 * 1024];
                long copied = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    copied += n;
                    if (copied > maxBytes) {
                        throw new ArchiveFailure("source " + uri + " grew over the limit of " + maxBytes
                                + " bytes while being read");
                    }
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new ArchiveFailure("cannot read source " + uri + ": " + IoText.of(e), e);
        }
    }

    private void download(URI uri, Path into, FetchSettings settings, CompletableFuture<?> stopping)
            throws ArchiveFailure {
        String shown = redacted(uri);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(settings.timeout())
                .header("User-Agent", userAgent);
        if (settings.basicAuth()) {
            String pair = settings.username() + ":" + settings.password();
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient client = client(settings);
        CompletableFuture<HttpResponse<Path>> sent = client.sendAsync(request.build(), info ->
                info.statusCode() == 200
                        ? tooLargeUpFront(info, settings.maxBytes()) ? new RefusedBody(settings.maxBytes())
                                : new CappedFileSubscriber(into, settings.maxBytes())
                        : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<Path> response;
        try {
            CompletableFuture.anyOf(sent, stopping).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!sent.isDone()) {
                sent.cancel(true);
                throw new CancellationException("stopped during the download of " + shown);
            }
            response = sent.get();
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new ArchiveFailure("download of " + shown + " timed out after " + seconds(settings), e);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new ArchiveFailure("download of " + shown + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                // The request's own timeout and the wait above are the same duration: either may fire first, and
                // both are the same failure, told the same way.
                throw new ArchiveFailure("download of " + shown + " timed out after " + seconds(settings),
                        e.getCause());
            }
            throw new ArchiveFailure("download of " + shown + " failed: "
                    + causeText(e.getCause(), uri), e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new ArchiveFailure("download of " + shown + " failed: HTTP " + response.statusCode());
        }
    }

    private static boolean tooLargeUpFront(HttpResponse.ResponseInfo info, long maxBytes) {
        return info.headers().firstValueAsLong("Content-Length").orElse(-1) > maxBytes;
    }

    private static HttpClient client(FetchSettings settings) throws ArchiveFailure {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(settings.basicAuth() ? HttpClient.Redirect.NEVER : HttpClient.Redirect.NORMAL);
        if (settings.insecure()) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
                builder.sslContext(context);
            } catch (GeneralSecurityException e) {
                throw new ArchiveFailure("cannot set up TLS without verification: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static String causeText(Throwable cause, URI uri) {
        String message = null;
        for (Throwable t = cause; t != null && message == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String text;
        if (cause instanceof ConnectException) {
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            text = "cannot connect to " + uri.getHost() + ":" + port + (message == null ? "" : " (" + message + ")");
        } else {
            text = message == null ? cause.getClass().getSimpleName() : message;
        }
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static String seconds(FetchSettings settings) {
        return settings.timeout().toMillis() / 1000.0 + " s";
    }

    /** {@code uri} without user information, for messages. */
    static String redacted(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }

    /** The body of a response whose Content-Length is over the cap: nothing is read. */
    private static final class RefusedBody implements HttpResponse.BodySubscriber<Path> {

        private final CompletableFuture<Path> result = new CompletableFuture<>();
        private final long maxBytes;

        RefusedBody(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public java.util.concurrent.CompletionStage<Path> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.cancel();
            result.completeExceptionally(new CappedFileSubscriber.TooLarge(maxBytes));
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.completeExceptionally(new CappedFileSubscriber.TooLarge(maxBytes));
        }
    }
}
