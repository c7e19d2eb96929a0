/**
 * The strategy comparison ({@link io.piecework.compare.Comparison}) and the simulation it
 * runs: {@link io.piecework.compare.SimulatedTorrent} and
 * {@link io.piecework.compare.SimulatedPeer} behave like the engine towards a request
 * strategy and check what a strategy must never do; {@link io.piecework.compare.SwarmEvents}
 * drives one with seeded random events; {@link io.piecework.compare.ReferenceOrder} is the
 * piece order recomputed from scratch. The strategies' own tests use the same classes.
 */
@Export
@Version("1.0.0")
package io.piecework.compare;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
