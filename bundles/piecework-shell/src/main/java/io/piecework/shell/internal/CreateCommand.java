package io.piecework.shell.internal;

import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code create PATH -o OUT.torrent ...}: hashes a file or folder into a new torrent. The
 * torrent is written to a temporary file beside OUT and moved into place only when complete,
 * so a failure or interruption never leaves a partial OUT; an existing OUT is kept unless
 * {@code --force}.
 */
@Component(property = Subcommand.PROPERTY + "=create")
public final class CreateCommand implements Subcommand {
    private static final long MIN_PIECE = 16 * 1024;
    private final MetainfoService metainfo;

    @Activate
    public CreateCommand(@Reference MetainfoService metainfo) {
        this.metainfo = metainfo;
    }

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String usage() {
        return "PATH -o OUT.torrent [--piece-length N] [--tracker URL]... [--web-seed URL]... [--private]"
                + " [--comment TEXT] [--threads N] [--v2 | --hybrid] [--force]";
    }

    /** BEP 19 url-list entries: http or https with a host, as the web seed bundle will use them. */
    private static void checkWebSeed(String url) throws CliException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CliException.badInput("--web-seed " + url + ": not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw CliException.badInput("--web-seed " + url + ": only http and https web seeds are supported");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw CliException.badInput("--web-seed " + url + ": no host");
        }
    }

    @Override
    public String summary() {
        return "hash a file or folder into a new .torrent (v1; --v2 or --hybrid for BEP 52)";
    }

    @Override
    public void run(List<String> args, Io io) throws Exception {
        Args a = Args.parse(args,
                Set.of("-o", "--output", "--piece-length", "--tracker", "--web-seed", "--comment", "--threads"),
                Set.of("--private", "--force", "--v2", "--hybrid"));
        String sourceName = a.operand("PATH");
        Path source = io.path(sourceName);
        String outName = a.value("-o").or(() -> a.values("--output").stream().findFirst())
                .orElseThrow(() -> CliException.usage("missing -o OUT.torrent"));
        Path out = io.path(outName);
        boolean force = a.flag("--force");
        CreateRequest request = new CreateRequest(source, pieceLength(a), a.values("--tracker"),
                a.values("--web-seed"), a.flag("--private"), a.value("--comment").orElse(null), threads(a),
                version(a));

        // Check everything the user can get wrong before hashing for minutes.
        for (String url : request.webSeeds()) {
            checkWebSeed(url);
        }
        if (!Files.exists(source)) {
            throw CliException.badInput(sourceName + ": no such file or folder");
        }
        if (!Files.isDirectory(out.getParent())) {
            throw CliException.badInput(out.getParent() + ": no such folder");
        }
        if (Files.isDirectory(out)) {
            throw CliException.badInput(out + ": is a folder");
        }
        if (Files.exists(out) && !force) {
            throw CliException.badInput(out + ": already exists (use --force to replace it)");
        }

        ProgressBar progress = new ProgressBar("hashing", io.err(), io.terminal(), System::nanoTime);
        TorrentMetainfo torrent;
        try {
            torrent = metainfo.create(request, progress);
        } catch (IllegalArgumentException e) {
            throw CliException.badInput(sourceName + ": " + e.getMessage());
        } catch (IOException e) {
            // The creator refuses sources it cannot share (no data, no name, not a file)
            // with a plain IOException saying so; real read errors keep status 1.
            if (!(e instanceof FileSystemException) && String.valueOf(e.getMessage()).startsWith("cannot share ")) {
                throw CliException.badInput(e.getMessage());
            }
            throw e;
        } finally {
            progress.finish();
        }
        write(metainfo.encode(torrent), out, force);
        io.out().println("created " + out);
        io.out().println("version:      " + torrent.version().label());
        io.out().println("info-hash:    " + torrent.infoHashV1().map(InfoHash::hex).orElse("none (v2-only)"));
        torrent.infoHashV2().ifPresent(h -> io.out().println("info-hash v2: " + h.hex()));
        io.out().println("total size:   " + Sizes.human(torrent.totalSize()) + " in " + torrent.files().size()
                + " file" + (torrent.files().size() == 1 ? "" : "s"));
        io.out().println("pieces:       " + torrent.pieceCount() + " x " + Sizes.human(torrent.pieceLength()));
    }

    /** Writes {@code bytes} to {@code out} all at once or not at all. */
    static void write(byte[] bytes, Path out, boolean replace) throws IOException, CliException {
        // Not Files.createTempFile: its 0600 permissions would stay on the torrent.
        Path tmp = out.resolveSibling("." + out.getFileName() + "." + ProcessHandle.current().pid()
                + "." + System.nanoTime() + ".part");
        tmp.toFile().deleteOnExit();
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (replace) {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                publishNew(tmp, out);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A hard link fails atomically if {@code out} appeared meanwhile; rename would replace it. */
    private static void publishNew(Path tmp, Path out) throws IOException, CliException {
        try {
            Files.createLink(out, tmp);
        } catch (FileAlreadyExistsException e) {
            throw CliException.badInput(out + ": already exists (use --force to replace it)");
        } catch (UnsupportedOperationException | IOException e) {
            // No hard links here (e.g. FAT, some network file systems): check, then rename.
            if (Files.exists(out)) {
                throw CliException.badInput(out + ": already exists (use --force to replace it)");
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static long pieceLength(Args a) throws CliException {
        String text = a.value("--piece-length").orElse(null);
        if (text == null) {
            return 0;
        }
        long n;
        try {
            n = Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--piece-length: " + e.getMessage());
        }
        if (n < MIN_PIECE || Long.bitCount(n) != 1) {
            throw CliException.usage("--piece-length must be a power of two of at least 16 KiB, got " + text);
        }
        return n;
    }

    /**
     * v1 stays the default: every client reads it, and v2-only torrents cannot be downloaded by
     * Piecework yet. --hybrid serves v1 and v2 clients alike.
     */
    private static TorrentVersion version(Args a) throws CliException {
        if (a.flag("--v2") && a.flag("--hybrid")) {
            throw CliException.usage("--v2 and --hybrid exclude each other (--hybrid is v1 + v2)");
        }
        return a.flag("--v2") ? TorrentVersion.V2 : a.flag("--hybrid") ? TorrentVersion.HYBRID : TorrentVersion.V1;
    }

    private static int threads(Args a) throws CliException {
        String text = a.value("--threads").orElse("0");
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("--threads must be a number of at least 0, got " + text);
    }
}
