/**
 * Pooled RoaringBitmaps for per-peer piece sets, with statistics on how well the pool works.
 */
@Export
@Version("1.1.0")
package io.piecework.api.bitmap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
