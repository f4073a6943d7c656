package org.blazedb.store.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stores a test opens, closed after each test. Register it with
 * {@code @RegisterExtension final OpenStores stores = new OpenStores();}.
 */
final class OpenStores implements AfterEachCallback {
    private final List<StoreEngine> open = new ArrayList<>();

    /** @return a store opened with {@code options}, closed after the test */
    StoreEngine open(StoreOptions options) {
        StoreEngine e = StoreEngine.open(options);
        open.add(e);
        return e;
    }

    /** @return the store "test" in the folder {@code dir}, with the default options */
    StoreEngine open(Path dir) {
        return open(StoreOptions.defaults("test", dir));
    }

    /** @return the store {@code name} in the folder {@code dir/name}, with the default options */
    StoreEngine open(Path dir, String name) {
        return open(StoreOptions.defaults(name, dir.resolve(name)));
    }

    /** Closes a store now (a test that opens its folder again) instead of after the test. */
    void close(StoreEngine e) {
        e.close();
        open.remove(e);
    }

    /** Closes {@code e} and opens the store "test" in {@code dir} again: a restart. @return the reopened store */
    StoreEngine reopen(StoreEngine e, Path dir) {
        close(e);
        return open(dir);
    }

    /** Forgets every store opened so far: the test closed them itself, or left them failed. */
    void forget() {
        open.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            open.forEach(StoreEngine::close);
        } finally {
            open.clear();
        }
    }
}
