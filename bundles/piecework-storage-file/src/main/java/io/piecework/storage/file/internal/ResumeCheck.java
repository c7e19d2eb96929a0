package io.piecework.storage.file.internal;

import io.piecework.api.metainfo.TorrentMetainfo;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a resume record lets an opening storage skip: the pieces it may take as complete
 * without hashing, and those it must hash. Decided from the record and the files' stamps now.
 *
 * @param trusted    complete without hashing: saved, and every file they touch unchanged and
 *                   present at full size
 * @param verify     to hash: saved pieces in changed files, and any piece touching a file
 *                   written since the save; without a record, every piece whose files exist
 * @param fromRecord a matching record was used
 */
record ResumeCheck(RoaringBitmap trusted, RoaringBitmap verify, boolean fromRecord) {

    /** @param saved the record read, or null; @param now the files' stamps, one per file */
    static ResumeCheck of(FileLayout layout, SavedState saved, List<SavedState.Stamp> now) {
        TorrentMetainfo meta = layout.metainfo();
        RoaringBitmap verify = new RoaringBitmap();
        if (saved != null && saved.infoHash().equals(meta.infoHash()) && saved.files().size() == now.size()) {
            RoaringBitmap trusted = new RoaringBitmap();
            for (int piece : saved.pieces()) {
                if (piece >= meta.pieceCount()) {
                    continue;
                }
                long files = layout.filesOfPiece(piece);
                boolean unchanged = true;
                for (int f = (int) (files >>> 32); f <= (int) files && unchanged; f++) {
                    unchanged = saved.files().get(f).equals(now.get(f)) && fullSize(layout, f, now.get(f));
                }
                (unchanged ? trusted : verify).add(piece);
            }
            // A file written after the last save may hold pieces verified too late to be saved
            // (the save is coalesced; a crash or kill -9 can land in between): every piece
            // touching a changed file is hashed, not just the saved ones.
            for (int piece = 0; piece < meta.pieceCount(); piece++) {
                if (trusted.contains(piece) || verify.contains(piece)) {
                    continue;
                }
                long files = layout.filesOfPiece(piece);
                boolean touchesChanged = false;
                for (int f = (int) (files >>> 32); f <= (int) files && !touchesChanged; f++) {
                    touchesChanged = layout.path(f) != null && now.get(f).size() > 0
                            && !saved.files().get(f).equals(now.get(f));
                }
                if (touchesChanged) {
                    verify.add(piece);
                }
            }
            return new ResumeCheck(trusted, verify, true);
        }
        for (int piece = 0; piece < meta.pieceCount(); piece++) {
            long files = layout.filesOfPiece(piece);
            boolean present = true;
            for (int f = (int) (files >>> 32); f <= (int) files && present; f++) {
                present = layout.path(f) == null || now.get(f).size() > 0 || layout.length(f) == 0;
            }
            if (present) {
                verify.add(piece);
            }
        }
        return new ResumeCheck(new RoaringBitmap(), verify, false);
    }

    /**
     * A saved piece is trusted only in a file that is there at its full size: a record (forged,
     * or saved before the files were made) must never vouch for data that cannot be on disk.
     */
    private static boolean fullSize(FileLayout on, int file, SavedState.Stamp now) {
        return on.path(file) == null || now.size() == on.length(file);
    }
}
