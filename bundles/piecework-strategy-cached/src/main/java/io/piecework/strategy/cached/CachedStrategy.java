package io.piecework.strategy.cached;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.TorrentView;
import org.osgi.service.component.annotations.Component;

/**
 * Keeps each torrent's piece order and availability counts up to date incrementally from the
 * engine's events, so a request update costs about the pieces it walks past, not a recount
 * and a sort of every piece. Same order as the naive strategy, exactly.
 */
@Component(service = RequestStrategy.class, property = RequestStrategy.NAME_PROPERTY + "=cached")
public final class CachedStrategy implements RequestStrategy {
    @Override
    public Picker open(TorrentView torrent) {
        return new CachedPicker(torrent);
    }
}
