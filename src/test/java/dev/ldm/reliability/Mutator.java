package dev.ldm.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * A small seeded mutator for the in-process fuzzer: the blind strategies libFuzzer starts from
 * (bit flips, interesting bytes, truncation, insertion, duplication) plus number and token swaps
 * that reach the semantic checks of text formats. The first byte (the fuzz target selector) is
 * never changed.
 */
final class Mutator {
    private static final byte[] INTERESTING = {0, 1, -1, 0x7f, (byte) 0x80, '"', '\\', '{', '}', '[', ']', ',', ':',
        '\n', '\r', '-', '#', ' ', (byte) 0xc3, (byte) 0xef};
    private static final String[] TOKENS = {"NaN", "-1", "0", "1e309", "99999999999999999999", "-9223372036854775808",
        "\"\"", "null", "[]", "{}", "true", "\"../../x\"", "--seed", "--n 999999", "\u0000", "\uFEFF"};

    private Mutator() {}

    static byte[] mutate(byte[] seed, Random rng) {
        byte[] b = seed.clone();
        int rounds = 1 + rng.nextInt(4);
        for (int i = 0; i < rounds && b.length > 1; i++) {
            b = once(b, rng);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random rng) {
        int at = 1 + rng.nextInt(b.length - 1);
        switch (rng.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));
            case 1 -> b[at] = INTERESTING[rng.nextInt(INTERESTING.length)];
            case 2 -> b = Arrays.copyOf(b, at);
            case 3 -> b = splice(b, at, at, randomBytes(rng, 1 + rng.nextInt(8)));
            case 4 -> {
                int len = Math.min(b.length - at, 1 + rng.nextInt(64));
                b = splice(b, at, at, Arrays.copyOfRange(b, at, at + len));
            }
            case 5 -> b = swapNumber(b, at, rng);
            default -> b = splice(b, at, at, TOKENS[rng.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    /** Replaces the run of digits at or after {@code at} with a token (a huge, negative or NaN number). */
    private static byte[] swapNumber(byte[] b, int at, Random rng) {
        int start = at;
        while (start < b.length && !Character.isDigit(b[start])) {
            start++;
        }
        int end = start;
        while (end < b.length && (Character.isDigit(b[end]) || b[end] == '.')) {
            end++;
        }
        return splice(b, start, end, TOKENS[rng.nextInt(6)].getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(Random rng, int n) {
        byte[] r = new byte[n];
        rng.nextBytes(r);
        return r;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, from);
        out.writeBytes(insert);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }
}
