package dev.tend.observe;

import com.sun.net.httpserver.HttpHandler;

/**
 * A handler whose answer goes on after {@code handle} returns (server-sent events): when {@code handle} returns
 * normally, the handler keeps the exchange, writes to it from a thread of its own and closes it itself, so a long
 * answer holds none of the listener's request threads. When {@code handle} throws, the listener closes the exchange
 * as for any other handler.
 */
public interface StreamingHandler extends HttpHandler {
}
