package io.piecework.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/** Records every listener call as a line of text, so tests compare what was decoded at a glance. */
final class Recorder implements PeerMessageListener {
    final List<String> events = new ArrayList<>();
    final List<Object> values = new ArrayList<>();

    @Override
    public void onHandshake(Handshake h) {
        events.add("handshake " + h);
        values.add(h);
    }

    @Override
    public void onKeepAlive() {
        events.add("keep-alive");
    }

    @Override
    public void onChoke() {
        events.add("choke");
    }

    @Override
    public void onUnchoke() {
        events.add("unchoke");
    }

    @Override
    public void onInterested() {
        events.add("interested");
    }

    @Override
    public void onNotInterested() {
        events.add("not interested");
    }

    @Override
    public void onHave(int piece) {
        events.add("have " + piece);
    }

    @Override
    public void onBitfield(RoaringBitmap pieces) {
        events.add("bitfield " + pieces);
        values.add(pieces);
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
        events.add("request " + piece + " " + begin + " " + length);
    }

    @Override
    public void onPiece(int piece, int begin, ByteBuffer block) {
        byte[] b = new byte[block.remaining()];
        block.duplicate().get(b);
        events.add("piece " + piece + " " + begin + " " + HexFormat.of().formatHex(b));
    }

    @Override
    public void onCancel(int piece, int begin, int length) {
        events.add("cancel " + piece + " " + begin + " " + length);
    }

    @Override
    public void onPort(int port) {
        events.add("port " + port);
    }

    @Override
    public void onSuggestPiece(int piece) {
        events.add("suggest " + piece);
    }

    @Override
    public void onHaveAll() {
        events.add("have all");
    }

    @Override
    public void onHaveNone() {
        events.add("have none");
    }

    @Override
    public void onRejectRequest(int piece, int begin, int length) {
        events.add("reject " + piece + " " + begin + " " + length);
    }

    @Override
    public void onAllowedFast(int piece) {
        events.add("allowed fast " + piece);
    }

    @Override
    public void onExtendedHandshake(ExtendedHandshake h) {
        events.add("extended handshake " + h.m());
        values.add(h);
    }

    @Override
    public void onMetadata(MetadataMessage m) {
        byte[] data = new byte[m.data() == null ? 0 : m.data().remaining()];
        if (m.data() != null) {
            m.data().duplicate().get(data);
        }
        events.add("metadata " + m.type() + " " + m.piece() + " " + m.totalSize() + " " + HexFormat.of().formatHex(data));
    }

    @Override
    public void onPex(PexMessage m) {
        events.add("pex " + m.added() + " " + HexFormat.of().formatHex(m.addedFlags()) + " " + m.dropped() + " "
                + m.added6() + " " + HexFormat.of().formatHex(m.added6Flags()) + " " + m.dropped6());
    }

    @Override
    public void onExtended(int id, ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.duplicate().get(b);
        events.add("extended " + id + " " + HexFormat.of().formatHex(b));
    }

    @Override
    public void onHashRequest(HashRequest request) {
        events.add(request.toString());
        values.add(request);
    }

    @Override
    public void onHashes(HashesMessage hashes) {
        events.add(hashes + " " + HexFormat.of().formatHex(hashes.hashes()));
        values.add(hashes);
    }

    @Override
    public void onHashReject(HashRequest request) {
        events.add("reject " + request);
        values.add(request);
    }

    @Override
    public void onUnknown(int id, int length) {
        events.add("unknown " + id + " " + length);
    }
}
