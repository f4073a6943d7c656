package org.blazedb.shell.impl;

import java.io.IOException;
import java.util.Dictionary;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reads and writes the {@code resolver} property of a sync engine's configuration (a factory
 * configuration of {@link Pids#SYNC} naming the store). Going through Config Admin rather than the
 * engine keeps the choice across restarts, and the engine applies it to the next conflict without
 * ending its sessions.
 */
final class ResolverChoice {
    /** The configuration property naming the resolver; absent or empty: the highest-ranked one. */
    static final String PROPERTY = "resolver";

    private final ConfigurationAdmin admin;

    ResolverChoice(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /**
     * @param store a store name
     * @return the resolver its engine's configuration names, or null for "the highest-ranked"
     */
    String configured(String store) {
        Object value = configuration(store).getProperties().get(PROPERTY);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }

    /**
     * @param store    a store name
     * @param resolver the resolver to name, or null to let the highest-ranked one decide
     */
    void choose(String store, String resolver) {
        Configuration config = configuration(store);
        Dictionary<String, Object> properties = config.getProperties();
        if (resolver == null) {
            properties.remove(PROPERTY);
        } else {
            properties.put(PROPERTY, resolver);
        }
        try {
            config.update(properties);
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Config Admin could not store the configuration of the sync engine of '"
                    + store + "': " + e.getMessage(), e);
        }
    }

    private Configuration configuration(String store) {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(&(service.factoryPid=" + Pids.SYNC + ")(" + Store.NAME + "=" + escape(store) + "))");
        } catch (IOException | InvalidSyntaxException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot read the sync configurations: " + e.getMessage(), e);
        }
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            throw new BlazeException(ErrorCode.NOT_FOUND, "No configuration of " + Pids.SYNC + " names the store '" + store
                    + "'; the engine was not configured through Config Admin, so its resolver cannot be chosen here");
        }
        if (found.length > 1) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, found.length + " configurations of " + Pids.SYNC
                    + " name the store '" + store + "'; remove all but one");
        }
        return found[0];
    }

    /** Escapes the characters an LDAP filter value may not hold (RFC 4515). */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
