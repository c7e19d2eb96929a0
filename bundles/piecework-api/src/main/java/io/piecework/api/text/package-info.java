/**
 * Text from outside (torrents, magnet links, peers, trackers, DHT nodes) made safe to show on
 * a terminal or write to a log.
 */
@Export
@Version("1.0.0")
package io.piecework.api.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
