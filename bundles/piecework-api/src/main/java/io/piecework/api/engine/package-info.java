/**
 * The engine: torrents added, started, stopped and removed; their statistics as immutable
 * snapshots that readers take without locks; and events for listeners registered as
 * services (whiteboard).
 */
@Export
@Version("1.5.0")
package io.piecework.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
