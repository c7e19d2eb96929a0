package io.piecework.lsd.internal;

import io.piecework.api.discovery.Announcement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One torrent announced on the local network until closed. */
final class LsdAnnouncement implements Announcement {
    private final LsdNode node;
    private final CompletableFuture<Schedule.Entry> entry;

    LsdAnnouncement(LsdNode node, CompletableFuture<Schedule.Entry> entry) {
        this.node = node;
        this.entry = entry;
    }

    @Override
    public void completed() {
        // LSD has no completed event: peers learn what we have from the bitfield.
    }

    @Override
    public void announceNow() {
        entry.thenAccept(node::announceNow);
    }

    @Override
    public String status() {
        Schedule.Entry e = entry.getNow(null);
        if (e == null) {
            return "lsd: starting";
        }
        long sent = e.lastSent;
        String last = sent < 0 ? "not announced yet"
                : "announced " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sent) + " s ago";
        return "lsd: " + last + " on " + node.interfaces() + " interface(s), " + e.found + " peer announces heard";
    }

    @Override
    public void close() {
        entry.thenAccept(node::remove);
    }
}
