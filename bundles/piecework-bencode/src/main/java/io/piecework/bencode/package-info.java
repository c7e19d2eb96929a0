/**
 * Strict bencode (BEP 3): decoding without copying strings, exact byte ranges of every
 * value, canonical encoding, and limits that keep hostile input from exhausting memory.
 */
@Export
@Version("1.0.0")
package io.piecework.bencode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
