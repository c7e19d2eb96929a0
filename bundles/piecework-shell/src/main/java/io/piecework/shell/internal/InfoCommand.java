package io.piecework.shell.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.text.Untrusted;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code info FILE.torrent}: what a torrent holds. */
@Component(property = Subcommand.PROPERTY + "=info")
public final class InfoCommand implements Subcommand {
    private final MetainfoService metainfo;

    @Activate
    public InfoCommand(@Reference MetainfoService metainfo) {
        this.metainfo = metainfo;
    }

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String usage() {
        return "FILE.torrent";
    }

    @Override
    public String summary() {
        return "show a torrent's name, version, info-hashes, size, pieces, files and trackers";
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        String file = Args.parse(args, Set.of(), Set.of()).operand("FILE.torrent");
        print(read(metainfo, io, file), io.out());
    }

    /** Reads a torrent, naming the file as the user did in the message if it is invalid. */
    static TorrentMetainfo read(MetainfoService metainfo, Io io, String file) throws Exception {
        try {
            return metainfo.read(io.path(file));
        } catch (InvalidTorrentException e) {
            throw CliException.badInput(file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw CliException.badInput(file + ": no such file");
        }
    }

    /**
     * {@link #read} for {@code get} and {@code seed}: every version of .torrent transfers (a
     * v2-only one verifies by the piece layers it carries).
     */
    static TorrentMetainfo readForTransfer(MetainfoService metainfo, Io io, String file) throws Exception {
        return read(metainfo, io, file);
    }

    /** Every text from the torrent is shown through {@link Untrusted}: it may hold escape sequences. */
    static void print(TorrentMetainfo t, PrintStream out) {
        out.println("name:         " + Untrusted.text(t.name()));
        out.println("version:      " + t.version().label());
        out.println("info-hash:    " + t.infoHashV1().map(InfoHash::hex)
                .orElse("none (v2-only; the wire carries the truncated v2 hash " + t.infoHash().hex() + ")"));
        t.infoHashV2().ifPresent(h -> out.println("info-hash v2: " + h.hex()));
        // A v2-only torrent's files each start a piece; the pads between them hold no data.
        long size = t.version().hasV1() ? t.totalSize()
                : t.files().stream().filter(f -> !f.padding()).mapToLong(FileEntry::length).sum();
        out.println("total size:   " + Sizes.human(size) + " (" + size + " bytes)");
        out.println("pieces:       " + t.pieceCount() + " x " + Sizes.human(t.pieceLength())
                + " (" + t.pieceLength() + " bytes)");
        out.println("private:      " + (t.isPrivate() ? "yes" : "no"));
        t.comment().ifPresent(c -> out.println("comment:      " + Untrusted.text(c)));
        t.createdBy().ifPresent(c -> out.println("created by:   " + Untrusted.text(c)));
        t.creationDate().ifPresent(d -> out.println("created:      " + date(d)));
        // A v1 torrent's pad files are its own entries (BEP 47) and shown so; a v2-only torrent's
        // are the engine's layout (libtorrent's), not in the file tree: left out.
        List<FileEntry> files = t.version().hasV1() ? t.files() : t.files().stream().filter(f -> !f.padding()).toList();
        out.println("files:        " + files.size()
                + (t.multiFile() ? " (in folder " + Untrusted.text(t.name()) + ")" : ""));
        for (FileEntry f : files) {
            out.println("  " + Untrusted.text(f.displayPath()) + "  " + Sizes.human(f.length())
                    + (f.padding() ? " (padding)" : ""));
        }
        List<List<String>> tiers = t.trackerTiers();
        out.println("trackers:     " + (tiers.isEmpty() ? "none" : tiers.size() + " tier" + (tiers.size() == 1 ? "" : "s")));
        for (int i = 0; i < tiers.size(); i++) {
            out.println("  tier " + (i + 1) + ": " + Untrusted.text(String.join(" ", tiers.get(i))));
        }
        out.println("web seeds:    " + (t.webSeeds().isEmpty() ? "none" : t.webSeeds().size()));
        for (String w : t.webSeeds()) {
            out.println("  " + Untrusted.text(w));
        }
    }

    /**
     * A creation date as an instant, or the bare number when it lies beyond the dates Java
     * can show (any 64-bit integer is valid bencode; about ±1e15 years is not a date).
     */
    static String date(long epochSeconds) {
        if (epochSeconds < Instant.MIN.getEpochSecond() || epochSeconds > Instant.MAX.getEpochSecond()) {
            return epochSeconds + " (seconds since 1970: not a date)";
        }
        return Instant.ofEpochSecond(epochSeconds).toString();
    }
}
