package org.blazedb.sync.impl;

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
 * Gives a standalone node a sync engine for its store named "default", as the store bundle gives
 * it the store: when the framework property {@link Pids#DATA_FOLDER_PROPERTY} is set (as
 * {@code ./blaze run} does) and {@value #DEFAULT_SYNC_PROPERTY} is not {@code false}, creates the
 * factory configuration {@code org.blazedb.sync~default} unless it exists, so that
 * {@code connect} works in the shell at once. A framework without the property (Karaf, tests)
 * gets no engine it did not configure; an existing configuration is left alone.
 */
@Component(immediate = true)
public final class DefaultSyncConfiguration {
    /** Framework property: {@code false} to not create the default engine. */
    public static final String DEFAULT_SYNC_PROPERTY = "blaze.sync.default";
    /** The store the default engine syncs. */
    public static final String DEFAULT_NAME = "default";

    /**
     * @param context the bundle context, for framework properties
     * @param admin   Config Admin
     * @throws IOException if Config Admin cannot store the configuration
     */
    @Activate
    public DefaultSyncConfiguration(BundleContext context, @Reference ConfigurationAdmin admin) throws IOException {
        String data = context.getProperty(Pids.DATA_FOLDER_PROPERTY);
        if (data == null || data.isBlank() || "false".equalsIgnoreCase(context.getProperty(DEFAULT_SYNC_PROPERTY))) {
            return;
        }
        Configuration config = admin.getFactoryConfiguration(Pids.SYNC, DEFAULT_NAME, "?");
        if (config.getProperties() == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Store.NAME, DEFAULT_NAME);
            properties.put("replica.target", "(" + Store.NAME + "=" + DEFAULT_NAME + ")");
            // A node resolves with last-writer-wins, the predictable default, unless its operator
            // names another ('blaze:resolver merge' rewrites this property): a resolver must not
            // take over a node's data just because its bundle happens to be installed and ranked higher.
            properties.put("resolver", "lww");
            config.update(properties);
        }
    }
}
