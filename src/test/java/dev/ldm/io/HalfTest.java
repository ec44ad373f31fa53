package dev.ldm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Half} against independent references over the whole range. Float to half: every one of the
 * 2^32 float bit patterns, the 2^31 positive ones against PyTorch's own fp32 → fp16 cast and each
 * negative one against its positive twin (rounding is symmetric). Half and bfloat16 to float: every
 * one of the 2^16 patterns against the value computed from its fields by exact arithmetic.
 * NaN payloads are not compared (PyTorch keeps some payload bits, ldm writes the canonical quiet
 * NaN); NaN must stay NaN with its sign.
 */
@Tag("slow")
class HalfTest {
    private static final int CHUNK = 1 << 24;

    @Test
    void fromFloatMatchesPyTorchForEveryFloatBitPattern() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4 * CHUNK).order(ByteOrder.nativeOrder());
        FloatBuffer f = direct.asFloatBuffer();
        long mismatches = 0;
        String first = null;
        try (NDManager m = NDManager.newBaseManager()) {
            for (long start = 0; start < 1L << 31; start += CHUNK) {
                for (int i = 0; i < CHUNK; i++) {
                    f.put(i, Float.intBitsToFloat((int) (start + i)));
                }
                ShortBuffer ref;
                try (NDArray a = m.create(direct, new Shape(CHUNK), DataType.FLOAT32);
                        NDArray h = a.toType(DataType.FLOAT16, false)) {
                    ref = h.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
                }
                for (int i = 0; i < CHUNK; i++) {
                    int bits = (int) (start + i);
                    float x = Float.intBitsToFloat(bits);
                    short want = ref.get(i);
                    short got = Half.fromFloat(x);
                    short negative = Half.fromFloat(Float.intBitsToFloat(bits | 0x80000000));
                    boolean ok = Float.isNaN(x) ? isNaN(got) && (got & 0x8000) == 0 && isNaN(want) : got == want;
                    if (!ok || negative != (short) (got | 0x8000)) {
                        if (mismatches++ == 0) {
                            first = String.format("float bits %08x: ldm %04x (negated %04x), PyTorch %04x",
                                    bits, got, negative, want);
                        }
                    }
                }
            }
        }
        assertEquals(0, mismatches, "first mismatch: " + first);
    }

    @Test
    void toFloatGivesTheExactValueOfEveryHalfAndBfloat16() {
        for (int i = 0; i < 1 << 16; i++) {
            check("half", i, Half.toFloat((short) i), value(i, 5, 10));
            check("bfloat16", i, Half.bf16ToFloat((short) i), value(i, 8, 7));
        }
    }

    @Test
    void theValuesThatUsedToShiftByThirtyTwoOrMoreRoundToZero() {
        // 1e-10 (was -15360) and 1e-11 (was NaN): Java masks int shift counts to five bits.
        assertEquals(0, Half.fromFloat(1e-10f));
        assertEquals((short) 0x8000, Half.fromFloat(-1e-11f));
        assertEquals(1, Half.fromFloat(0x1.0p-24f));
        assertEquals(1, Half.fromFloat(0x1.000002p-25f)); // just above half the smallest subnormal
        assertEquals(0, Half.fromFloat(0x1.0p-25f));      // the tie rounds to even, zero
    }

    /** The value of a 16-bit IEEE-style pattern with the given field widths, by arithmetic. */
    private static float value(int bits, int exponentBits, int mantissaBits) {
        int bias = (1 << (exponentBits - 1)) - 1;
        int e = (bits >>> mantissaBits) & ((1 << exponentBits) - 1);
        int mant = bits & ((1 << mantissaBits) - 1);
        double sign = (bits & 0x8000) != 0 ? -1 : 1;
        if (e == (1 << exponentBits) - 1) {
            return (float) (mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN * sign);
        }
        double magnitude = e == 0 ? Math.scalb((double) mant, 1 - bias - mantissaBits)
                : Math.scalb((double) ((1 << mantissaBits) + mant), e - bias - mantissaBits);
        return (float) (sign * magnitude);
    }

    private static void check(String what, int bits, float got, float want) {
        boolean signsAgree = (Float.floatToRawIntBits(got) >>> 31) == (bits >>> 15);
        boolean ok = Float.isNaN(want) ? Float.isNaN(got) && signsAgree
                : Float.floatToRawIntBits(got) == Float.floatToRawIntBits(want);
        if (!ok) {
            fail(what + " bits " + Integer.toHexString(bits) + ": ldm " + got + ", exact " + want);
        }
    }

    private static boolean isNaN(short h) {
        return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
    }
}
