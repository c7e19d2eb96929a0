package io.piecework.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeDecodeTest {
    private static BValue decode(String s) throws BencodeException {
        return Bencode.decode(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static BencodeException failure(String s) {
        return assertThrows(BencodeException.class, () -> decode(s));
    }

    @Test
    void decodesIntegersIncludingTheLongRange() throws Exception {
        assertEquals(0, ((BInteger) decode("i0e")).value());
        assertEquals(-42, ((BInteger) decode("i-42e")).value());
        assertEquals(Long.MAX_VALUE, ((BInteger) decode("i9223372036854775807e")).value());
        assertEquals(Long.MIN_VALUE, ((BInteger) decode("i-9223372036854775808e")).value());
    }

    @ParameterizedTest
    @CsvSource({
        "i03e, 1, leading zero",
        "i-0e, 0, negative zero",
        "ie, 1, no digits",
        "i-e, 2, no digits",
        "i1x2e, 2, expected a digit",
        "i9223372036854775808e, 0, 64-bit range",
        "i-9223372036854775809e, 0, 64-bit range",
        "i12, 3, unexpected end of input",
    })
    void rejectsMalformedIntegersNamingTheOffset(String input, long offset, String why) {
        BencodeException e = failure(input);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void decodesStringsAsViewsOfTheInput() throws Exception {
        byte[] input = "5:hello".getBytes(StandardCharsets.US_ASCII);
        BString s = (BString) Bencode.decode(input);
        assertEquals("hello", s.utf8());
        assertEquals(5, s.length());
        input[4] = 'L';
        assertEquals("heLlo", s.utf8(), "a decoded string shares the input instead of copying it");
        assertEquals("", ((BString) decode("0:")).utf8());
    }

    @ParameterizedTest
    @CsvSource({
        "05:hello, 0, leading zero",
        "5hello, 1, expected a digit or ':'",
        "10:abc, 0, runs past the end",
        "3:abcd, 5, after the end of the top-level value",
    })
    void rejectsMalformedStrings(String input, long offset, String why) {
        BencodeException e = failure(input);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void decodesListsAndDictionaries() throws Exception {
        BDictionary d = (BDictionary) decode("d1:ai1e1:bl1:xi2eee");
        assertEquals(1, d.integer("a").orElseThrow().value());
        BList list = d.list("b").orElseThrow();
        assertEquals("x", ((BString) list.get(0)).utf8());
        assertEquals(2, ((BInteger) list.get(1)).value());
    }

    @Test
    void rejectsUnsortedAndDuplicateKeys() {
        BencodeException unsorted = failure("d1:bi1e1:ai2ee");
        assertEquals(7, unsorted.offset());
        assertTrue(unsorted.getMessage().contains("not sorted"), unsorted.getMessage());
        BencodeException duplicate = failure("d1:ai1e1:ai2ee");
        assertTrue(duplicate.getMessage().contains("duplicate"), duplicate.getMessage());
    }

    @Test
    void comparesKeysAsUnsignedBytes() throws Exception {
        // 0xC3 sorts after 'z' as an unsigned byte, though it is negative as a Java byte.
        byte[] input = {'d', '1', ':', 'z', 'i', '1', 'e', '1', ':', (byte) 0xC3, 'i', '2', 'e', 'e'};
        assertEquals(2, ((BDictionary) Bencode.decode(input)).size());
    }

    @Test
    void rejectsNonStringKeys() {
        assertTrue(failure("di1ei2ee").getMessage().contains("string key"));
    }

    @Test
    void rejectsTruncatedContainers() {
        assertTrue(failure("l1:a").getMessage().contains("unexpected end of input"));
        assertTrue(failure("d1:a").getMessage().contains("a value for key 'a'"));
        assertTrue(failure("").getMessage().contains("unexpected end of input"));
    }

    @Test
    void rejectsUnknownTypeBytes() {
        BencodeException e = failure("x");
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("'x'"));
    }

    @Test
    void boundsNestingDepthWithoutExhaustingTheStack() {
        String deep = "l".repeat(100_000) + "e".repeat(100_000);
        BencodeException e = failure(deep);
        assertEquals(64, e.offset());
        assertTrue(e.getMessage().contains("nesting deeper than 64"));
    }

    @Test
    void boundsStringLengthBeforeAllocating() {
        BencodeLimits small = new BencodeLimits(8, 100, 1 << 20, 1000);
        BencodeException e = assertThrows(BencodeException.class,
                () -> Bencode.decode("99999999999999999999:x".getBytes(StandardCharsets.US_ASCII), small));
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());
    }

    @Test
    void boundsTotalSizeAndValueCount() {
        BencodeLimits small = new BencodeLimits(8, 100, 10, 3);
        assertTrue(assertThrows(BencodeException.class,
                () -> Bencode.decode("11:hello world".getBytes(StandardCharsets.US_ASCII), small))
                .getMessage().contains("exceeds the limit"));
        assertTrue(assertThrows(BencodeException.class,
                () -> Bencode.decode("li1ei2ei3ee".getBytes(StandardCharsets.US_ASCII),
                        new BencodeLimits(8, 100, 100, 3)))
                .getMessage().contains("more than 3 values"));
    }

    @Test
    void exposesTheOriginalBytesOfAnyValue() throws Exception {
        String doc = "d4:infod4:name1:x3:zzzi1ee5:otheri0ee";
        BDictionary d = (BDictionary) decode(doc);
        ByteBuffer raw = d.get("info").raw();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        assertEquals("d4:name1:x3:zzzi1ee", new String(bytes, StandardCharsets.US_ASCII));
        assertEquals(7, d.get("info").start());
        assertEquals(26, d.get("info").end());
    }

    @Test
    void decodesFromTheMiddleOfADirectBufferAndReportsRelativeOffsets() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(32);
        direct.put("junkl4:spami7ee".getBytes(StandardCharsets.US_ASCII)).flip().position(4);
        BList list = (BList) Bencode.decode(direct, BencodeLimits.DEFAULT);
        assertEquals("spam", ((BString) list.get(0)).utf8());
        assertEquals(4, direct.position(), "decoding leaves the caller's position alone");

        ByteBuffer bad = ByteBuffer.allocateDirect(16);
        bad.put("xxxxi01e".getBytes(StandardCharsets.US_ASCII)).flip().position(4);
        BencodeException e = assertThrows(BencodeException.class, () -> Bencode.decode(bad, BencodeLimits.DEFAULT));
        assertEquals(1, e.offset());
    }

    @Test
    void decodeFirstStopsAfterOneValueSoRawBytesCanFollow() throws Exception {
        byte[] message = "d8:msg_typei1e5:piecei0eeRAWDATA".getBytes(StandardCharsets.US_ASCII);
        BValue header = Bencode.decodeFirst(ByteBuffer.wrap(message), BencodeLimits.DEFAULT);
        assertInstanceOf(BDictionary.class, header);
        assertArrayEquals("RAWDATA".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(message, header.end(), message.length));
    }
}
