package io.piecework.dht.internal;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * announce_peer tokens (BEP 5): SHA-1 of a secret and the querier's IP, the secret replaced
 * every {@code rotation} and the previous one still accepted, so a token lives 5 to 10 minutes.
 */
final class Tokens {
    static final int LENGTH = 8;
    private final Random random;
    private final LongSupplier clock;
    private final long rotationNanos;
    private byte[] current = new byte[16];
    private byte[] previous = new byte[16];
    private long rotated;

    Tokens(Random random, LongSupplier clock, long rotationNanos) {
        this.random = random;
        this.clock = clock;
        this.rotationNanos = rotationNanos;
        random.nextBytes(current);
        random.nextBytes(previous);
        rotated = clock.getAsLong();
    }

    byte[] issue(InetAddress ip) {
        rotate();
        return token(current, ip);
    }

    boolean valid(byte[] token, InetAddress ip) {
        rotate();
        return MessageDigest.isEqual(token, token(current, ip)) || MessageDigest.isEqual(token, token(previous, ip));
    }

    private void rotate() {
        long now = clock.getAsLong();
        while (now - rotated >= rotationNanos) {
            previous = current;
            current = new byte[16];
            random.nextBytes(current);
            rotated = now - rotated >= 2 * rotationNanos ? now : rotated + rotationNanos;
        }
    }

    private static byte[] token(byte[] secret, InetAddress ip) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(ip.getAddress());
            return Arrays.copyOf(sha1.digest(), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
