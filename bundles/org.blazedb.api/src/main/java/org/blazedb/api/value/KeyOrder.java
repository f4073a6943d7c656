package org.blazedb.api.value;

import java.util.Comparator;

/**
 * {@link Value#KEY_ORDER}: strings ordered by Unicode code point, which is the order of their
 * UTF-8 bytes. Compares UTF-16 units directly and corrects only where two differing units are
 * both at or above U+D800: there UTF-16 order puts surrogates (supplementary code points) below
 * U+E000–U+FFFF, while code-point order puts them above. This is exact for well-formed strings and
 * as fast as {@link String#compareTo} on the common path.
 */
final class KeyOrder implements Comparator<String> {
    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            int x = a.charAt(i);
            int y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    x = fixup(x);
                    y = fixup(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000–U+FFFF, keeping each group's internal order. */
    private static int fixup(int unit) {
        return unit >= 0xE000 ? unit - 0x800 : unit + 0x2000;
    }
}
