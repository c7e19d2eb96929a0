package io.piecework.tracker;

import java.util.Random;

/** Inputs for fuzzing: random bytes, and valid messages with a few bytes broken. */
public final class Mutations {
    private Mutations() {
    }

    public static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = 'd'; // give the bencode decoder something to chew on
        }
        return b;
    }

    /** Flips, inserts, deletes or duplicates bytes; sometimes splices digits to break lengths. */
    public static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(5);
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (op) {
                case 0:
                    if (b.length > 0) {
                        b[at] = (byte) random.nextInt(256);
                    }
                    break;
                case 1:
                    if (b.length > 0) {
                        b[at] = (byte) ('0' + random.nextInt(10));
                    }
                    break;
                case 2: {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                    break;
                }
                case 3:
                    if (b.length > 0) {
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                        b = c;
                    }
                    break;
                default: {
                    int len = Math.min(b.length - at, 1 + random.nextInt(20));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                    break;
                }
            }
        }
        return b;
    }
}
