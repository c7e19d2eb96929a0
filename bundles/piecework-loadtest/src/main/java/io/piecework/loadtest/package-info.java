/**
 * The engine under load: {@link io.piecework.loadtest.LoadTest} runs the real
 * {@code TorrentEngine} service against in-process fake seeders over loopback TCP and reports
 * its lock and CPU figures per request strategy.
 */
@Export
@Version("1.0.0")
package io.piecework.loadtest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
