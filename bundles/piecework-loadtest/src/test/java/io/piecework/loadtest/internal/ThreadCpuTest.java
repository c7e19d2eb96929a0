package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void sortsThreadsIntoEngineAndFakePeersByName() {
        assertEquals(ThreadCpu.Side.ENGINE, ThreadCpu.side("multiThreadIoEventLoopGroup-2-1"));
        assertEquals(ThreadCpu.Side.ENGINE, ThreadCpu.side("piecework-disk-1"));
        assertEquals(ThreadCpu.Side.ENGINE, ThreadCpu.side("piecework-hash-3"));
        assertEquals(ThreadCpu.Side.ENGINE, ThreadCpu.side("piecework-batched-1a2b"));
        assertEquals(ThreadCpu.Side.PEERS, ThreadCpu.side("loadtest-peer-3-1"));
        assertEquals(ThreadCpu.Side.OTHER, ThreadCpu.side("FelixStartLevel"));
        assertEquals(ThreadCpu.Side.OTHER, ThreadCpu.side("main"));
    }

    @Test
    void poolsAreNamesWithoutTheirNumbers() {
        assertEquals("piecework-disk", ThreadCpu.pool("piecework-disk-2"));
        assertEquals("multiThreadIoEventLoopGroup", ThreadCpu.pool("multiThreadIoEventLoopGroup-2-1"));
        assertEquals("piecework-timer", ThreadCpu.pool("piecework-timer"));
    }
}
