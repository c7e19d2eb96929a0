package io.piecework.strategy.naive;

import io.piecework.api.strategy.Picker;
import io.piecework.api.strategy.RequestStrategy;
import io.piecework.api.strategy.TorrentView;
import org.osgi.service.component.annotations.Component;

/**
 * The baseline: every request update recounts availability and sorts the wanted pieces from
 * scratch, under the torrent's lock, for one peer at a time. Correct and plain, so the cached
 * and batched strategies have something honest to be measured against.
 */
@Component(service = RequestStrategy.class, property = RequestStrategy.NAME_PROPERTY + "=naive")
public final class NaiveStrategy implements RequestStrategy {
    @Override
    public Picker open(TorrentView torrent) {
        return new NaivePicker(torrent);
    }
}
