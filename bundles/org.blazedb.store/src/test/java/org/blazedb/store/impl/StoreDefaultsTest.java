package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page cache and page size a store gets when nobody configures them: the same through the
 * component's configuration as through {@link StoreOptions#defaults}, and what MVStore is opened with.
 */
class StoreDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void theComponentsDefaultPageCacheIsTheEnginesDefault() throws Exception {
        Object componentDefault = StoreComponent.Config.class.getMethod("cache_size_mb").getDefaultValue();
        assertEquals(StoreOptions.DEFAULT_CACHE_SIZE_MB, componentDefault);
        assertEquals(StoreOptions.DEFAULT_CACHE_SIZE_MB, StoreOptions.defaults("s", dir).cacheSizeMb());
    }

    @Test
    void theFileIsOpenedWithTheConfiguredPageCacheAndPageSize() {
        MVStore store = StoreFiles.storeBuilder(dir.resolve("x.mv.db"), 24).open();
        try {
            assertEquals(24, store.getCacheSize());
            assertEquals(StoreFiles.keysPerPage(System.getProperty(StoreFiles.KEYS_PER_PAGE_PROPERTY)), store.getKeysPerPage());
        } finally {
            store.close();
        }
    }

    @Test
    void thePageSizeIsMvStoresDefaultUnlessAValidNumberIsGiven() {
        assertEquals(48, StoreFiles.keysPerPage(null));
        assertEquals(96, StoreFiles.keysPerPage(" 96 "));
        for (String bad : new String[] {"0", "3", "4097", "-48", "many", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreFiles.keysPerPage(bad));
            assertTrue(e.getMessage().contains("blaze.store.keysPerPage"), e.getMessage());
        }
    }
}
