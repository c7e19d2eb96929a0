package io.piecework.metainfo.internal;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InvalidTorrentException;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.MetainfoService;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.MetainfoWriter;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/** The library published as a service, so bundles can bind it and a replacement can be swapped in. */
@Component(service = MetainfoService.class)
public final class MetainfoComponent implements MetainfoService {
    @Override
    public TorrentMetainfo parse(byte[] torrent) throws InvalidTorrentException {
        return MetainfoParser.parse(torrent);
    }

    @Override
    public TorrentMetainfo read(Path torrentFile) throws IOException, InvalidTorrentException {
        return MetainfoParser.read(torrentFile);
    }

    @Override
    public byte[] encode(TorrentMetainfo metainfo) {
        return MetainfoWriter.write(metainfo);
    }

    @Override
    public MagnetLink parseMagnet(String uri) throws InvalidTorrentException {
        return MagnetLinks.parse(uri);
    }

    @Override
    public String magnetUri(MagnetLink magnet) {
        return MagnetLinks.format(magnet);
    }

    @Override
    public MagnetLink magnetOf(TorrentMetainfo metainfo) {
        return MagnetLinks.of(metainfo);
    }

    @Override
    public TorrentMetainfo create(CreateRequest request, CreateProgress progress) throws IOException {
        return TorrentCreator.create(request, progress);
    }
}
