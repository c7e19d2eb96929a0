package io.piecework.tracker;

import java.util.List;

/** A decoded BEP 15 response; every kind carries the transaction id it answers. */
public sealed interface UdpPacket {
    int transactionId();

    /** action 0 */
    record Connected(int transactionId, long connectionId) implements UdpPacket {
    }

    /** action 1; the response has no min interval, warning or tracker id: those fields are -1 and null. */
    record Announced(int transactionId, AnnounceResponse response) implements UdpPacket {
    }

    /** action 2; one line per info-hash asked, in the order asked. */
    record Scraped(int transactionId, List<ScrapeStats> stats) implements UdpPacket {
        public Scraped {
            stats = List.copyOf(stats);
        }
    }

    /** action 3 */
    record Error(int transactionId, String message) implements UdpPacket {
    }
}
