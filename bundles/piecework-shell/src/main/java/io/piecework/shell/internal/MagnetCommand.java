package io.piecework.shell.internal;

import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.text.Untrusted;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code magnet FILE.torrent} prints a torrent's magnet URI; {@code magnet --parse URI} checks one. */
@Component(property = Subcommand.PROPERTY + "=magnet")
public final class MagnetCommand implements Subcommand {
    private final MetainfoService metainfo;

    @Activate
    public MagnetCommand(@Reference MetainfoService metainfo) {
        this.metainfo = metainfo;
    }

    @Override
    public String name() {
        return "magnet";
    }

    @Override
    public String usage() {
        return "FILE.torrent | --parse MAGNET-URI";
    }

    @Override
    public String summary() {
        return "print a torrent's magnet URI, or parse and show a magnet URI";
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("--parse"));
        String operand = a.operand(a.flag("--parse") ? "MAGNET-URI" : "FILE.torrent");
        if (a.flag("--parse")) {
            try {
                print(metainfo.parseMagnet(operand), io.out());
            } catch (InvalidTorrentException e) {
                throw CliException.badInput("magnet URI: " + e.getMessage());
            }
        } else {
            io.out().println(metainfo.magnetUri(metainfo.magnetOf(InfoCommand.read(metainfo, io, operand))));
        }
    }

    private static void print(MagnetLink m, PrintStream out) {
        out.println("info-hash:    " + (m.v2Only()
                ? "none (v2-only; the wire carries the truncated v2 hash " + m.infoHash().hex() + ")" : m.infoHash().hex()));
        m.infoHashV2().ifPresent(h -> out.println("info-hash v2: " + h.hex()));
        out.println("name:         " + m.displayName().map(Untrusted::text).orElse("(none)"));
        out.println("trackers:     " + (m.trackers().isEmpty() ? "none" : Untrusted.text(String.join(" ", m.trackers()))));
        out.println("peers:        " + (m.peers().isEmpty() ? "none" : Untrusted.text(String.join(" ", m.peers()))));
        out.println("select only:  " + (m.selectOnly().isEmpty() ? "all files"
                : m.selectOnly().stream().map(String::valueOf).collect(Collectors.joining(","))));
    }
}
