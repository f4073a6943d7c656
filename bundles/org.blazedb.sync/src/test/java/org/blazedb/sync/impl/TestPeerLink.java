package org.blazedb.sync.impl;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Link;

/**
 * A link whose far end is the test: always writable, open until the engine closes it, and the
 * close's code kept in {@link #closedWith}. Subclasses keep what the engine sends.
 */
abstract class TestPeerLink implements Link {
    final CompletableFuture<ErrorCode> closedWith = new CompletableFuture<>();
    private final URI address;

    /** @param address what the link says the peer's address is */
    TestPeerLink(String address) {
        this.address = URI.create(address);
    }

    @Override
    public URI remoteAddress() {
        return address;
    }

    @Override
    public String relay() {
        return "test";
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closedWith.isDone();
    }

    @Override
    public void close(ErrorCode code, String reason) {
        closedWith.complete(code);
    }
}
