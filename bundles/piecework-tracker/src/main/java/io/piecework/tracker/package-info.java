/**
 * Tracker protocols without I/O: HTTP announce and scrape (BEP 3/7/23/48) and UDP packets
 * (BEP 15), bytes in and records out. Every input is treated as hostile: sizes and peer
 * counts are bounded by {@link io.piecework.tracker.TrackerLimits} and malformed input
 * raises {@link io.piecework.tracker.TrackerException}, nothing else.
 */
@Export
@Version("1.0.0")
package io.piecework.tracker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
