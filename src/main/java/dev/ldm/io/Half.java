package dev.ldm.io;

/**
 * IEEE 754 half and bfloat16 conversions (Java 17 has neither built in; {@code Float.floatToFloat16}
 * arrived in Java 20). Round to nearest even; NaN keeps its sign and becomes the quiet NaN 0x7e00.
 * {@code HalfTest} compares every one of the 2^32 float bit patterns and every half with PyTorch's
 * conversion.
 */
public final class Half {
    private Half() {}

    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1.0p-24f; // subnormal
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) { // inf or NaN
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) { // rounds to >= 65520: overflow to inf
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below 2^-14: a subnormal half or zero
            // The half's subnormal mantissa is the float's 24-bit significand shifted right by
            // 126 - exponent. Below 2^-25 (a right shift of 25 or more) everything rounds to
            // zero; returning early also keeps the shift below 32, where Java would mask it.
            int drop = 126 - (abs >>> 23);
            if (drop > 24) {
                return (short) sign;
            }
            int mant = (abs & 0x7fffff) | 0x800000;
            int halfMant = mant >>> drop;
            int rem = mant & ((1 << drop) - 1);
            int halfway = 1 << (drop - 1);
            if (rem > halfway || (rem == halfway && (halfMant & 1) != 0)) {
                halfMant++;
            }
            return (short) (sign | halfMant);
        }
        int e = (abs >>> 23) - 112;
        int mant = abs & 0x7fffff;
        int h = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++;
        }
        return (short) (sign | h);
    }

    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
