package io.piecework.storage.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * How files are opened. The real disk in production; tests put one in front that fails the
 * way a full disk or a refused permission does, which root cannot provoke for real.
 */
@FunctionalInterface
interface Disk {
    Disk REAL = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
