package org.blazedb.store.impl;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gives a standalone node its store named "default": when the framework property
 * {@link Pids#DATA_FOLDER_PROPERTY} is set (as {@code ./blaze run} does) and
 * {@value #DEFAULT_STORE_PROPERTY} is not {@code false}, creates the named factory configuration
 * {@code org.blazedb.store~default} unless it exists. Its data folder is then
 * {@code <blaze.data>/default}. A configuration that exists, edited or not, is left alone; a
 * framework without the property (Karaf, tests) gets no store it did not configure.
 */
@Component(immediate = true)
public final class DefaultStoreConfiguration {
    /** Framework property: {@code false} to not create the default store. */
    public static final String DEFAULT_STORE_PROPERTY = "blaze.store.default";
    /** The name of the store a node gets. */
    public static final String DEFAULT_NAME = "default";

    /**
     * @param context the bundle context, for framework properties
     * @param admin   Config Admin
     * @throws IOException if Config Admin cannot store the configuration
     */
    @Activate
    public DefaultStoreConfiguration(BundleContext context, @Reference ConfigurationAdmin admin) throws IOException {
        String data = context.getProperty(Pids.DATA_FOLDER_PROPERTY);
        if (data == null || data.isBlank() || "false".equalsIgnoreCase(context.getProperty(DEFAULT_STORE_PROPERTY))) {
            return;
        }
        Configuration config = admin.getFactoryConfiguration(Pids.STORE, DEFAULT_NAME, "?");
        if (config.getProperties() == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Store.NAME, DEFAULT_NAME);
            config.update(properties);
        }
    }
}
