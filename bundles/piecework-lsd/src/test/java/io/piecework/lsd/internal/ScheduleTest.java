package io.piecework.lsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.piecework.api.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";
    private final List<InetSocketAddress> found = new ArrayList<>();

    @Test
    void aNewTorrentGoesOutAtOnceThenNoDatagramBeforeTheGap() {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 10);
        s.add(Target.of(A, 6881), (p, src) -> { }, 0);
        assertEquals(0, s.nextWake());
        assertEquals(new Schedule.Batch(6881, List.of(InfoHash.parse(A))), s.take(0));
        s.add(Target.of(B, 6881), (p, src) -> { }, SECOND);
        assertNull(s.take(SECOND), "a second datagram within the gap");
        assertEquals(60 * SECOND, s.nextWake());
        assertEquals(List.of(InfoHash.parse(B)), s.take(60 * SECOND).hashes());
        assertEquals(300 * SECOND, s.nextWake(), "A again after its interval");
    }

    @Test
    void dueTorrentsShareADatagramMostOverdueFirstUpToWhatFits() {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 2);
        s.add(Target.of(B, 1), (p, src) -> { }, 5);
        s.add(Target.of(A, 1), (p, src) -> { }, 3);
        s.add(Target.of("00000000000000000000000000000000000000aa", 1), (p, src) -> { }, 9);
        assertEquals(List.of(InfoHash.parse(A), InfoHash.parse(B)), s.take(10).hashes());
    }

    @Test
    void privateTorrentsAndTorrentsWithoutAPortAreNotAnnounced() {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 10);
        s.add(new Target(InfoHash.parse(A), 6881, true), (p, src) -> { }, 0);
        s.add(Target.of(B, 0), (p, src) -> { }, 0);
        assertEquals(Long.MAX_VALUE, s.nextWake());
        assertNull(s.take(0));
    }

    @Test
    void announceNowMakesATorrentDueButKeepsTheGap() {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 10);
        Schedule.Entry e = s.add(Target.of(A, 1), (p, src) -> { }, 0);
        s.take(0);
        s.dueNow(e, 10 * SECOND);
        assertNull(s.take(10 * SECOND));
        assertEquals(60 * SECOND, s.nextWake());
    }

    @Test
    void anAnnounceHeardReachesOnlyTheTorrentsItNamesAndNeverAPrivateOne() throws Exception {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 10);
        List<InetSocketAddress> other = new ArrayList<>();
        s.add(Target.of(A, 1), (p, src) -> found.addAll(p), 0);
        s.add(new Target(InfoHash.parse(B), 1, true), (p, src) -> other.addAll(p), 0);
        InetAddress from = InetAddress.getByName("192.168.1.7");
        int delivered = s.heard(from, new LsdCodec.Announce(51413, List.of(InfoHash.parse(A), InfoHash.parse(B),
                InfoHash.parse("00000000000000000000000000000000000000aa")), ""));
        assertEquals(1, delivered);
        assertEquals(List.of(new InetSocketAddress(from, 51413)), found);
        assertEquals(List.of(), other);
    }

    @Test
    void aRemovedTorrentIsNeitherAnnouncedNorGivenPeers() throws Exception {
        Schedule s = new Schedule(300 * SECOND, 60 * SECOND, 10);
        Schedule.Entry e = s.add(Target.of(A, 1), (p, src) -> found.addAll(p), 0);
        s.remove(e);
        assertNull(s.take(0));
        s.heard(InetAddress.getByName("10.0.0.1"), new LsdCodec.Announce(1, List.of(InfoHash.parse(A)), ""));
        assertEquals(List.of(), found);
    }
}
