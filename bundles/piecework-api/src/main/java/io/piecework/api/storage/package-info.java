/**
 * Torrent storage: the service that maps a torrent's pieces onto files (or memory), verifies
 * pieces off the caller's thread and remembers which pieces are complete across restarts.
 */
@Export
@Version("1.3.0")
package io.piecework.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
