package io.piecework.rpc.transmission.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@link SessionLimits} on the engine's Config Admin configuration (PID {@code io.piecework.engine}),
 * keeping its other properties: the engine's {@code @Modified} applies a change without a restart.
 * Values from a FileInstall {@code .cfg} file arrive as strings and are read as such.
 */
final class ConfigAdminLimits implements SessionLimits {
    static final String ENGINE_PID = "io.piecework.engine";
    static final String DOWN = "download.limit.kib";
    static final String UP = "upload.limit.kib";
    static final String TURTLE_DOWN = "turtle.download.limit.kib";
    static final String TURTLE_UP = "turtle.upload.limit.kib";
    static final String TURTLE = "turtle";

    private final Supplier<ConfigurationAdmin> admin;

    ConfigAdminLimits(Supplier<ConfigurationAdmin> admin) {
        this.admin = admin;
    }

    @Override
    public Values get() throws RpcException {
        Dictionary<String, Object> p = configuration().getProperties();
        if (p == null) {
            return Values.DEFAULTS;
        }
        Values d = Values.DEFAULTS;
        boolean turtle = p.get(TURTLE) == null ? d.turtle() : Boolean.parseBoolean(String.valueOf(p.get(TURTLE)));
        return new Values(integer(p, DOWN, d.downloadKiB()), integer(p, UP, d.uploadKiB()),
                integer(p, TURTLE_DOWN, d.turtleDownloadKiB()), integer(p, TURTLE_UP, d.turtleUploadKiB()), turtle);
    }

    @Override
    public int maxConnections() {
        try {
            Dictionary<String, Object> p = configuration().getProperties();
            return p == null ? SessionLimits.super.maxConnections()
                    : integer(p, "max.connections", SessionLimits.super.maxConnections());
        } catch (RpcException e) {
            return SessionLimits.super.maxConnections();
        }
    }

    @Override
    public void set(Values v) throws RpcException {
        Configuration c = configuration();
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        p.put(DOWN, v.downloadKiB());
        p.put(UP, v.uploadKiB());
        p.put(TURTLE_DOWN, v.turtleDownloadKiB());
        p.put(TURTLE_UP, v.turtleUploadKiB());
        p.put(TURTLE, v.turtle());
        try {
            c.update(p);
        } catch (IOException e) {
            throw new RpcException("cannot save the engine's configuration: " + e.getMessage());
        }
    }

    private Configuration configuration() throws RpcException {
        ConfigurationAdmin cm = admin.get();
        if (cm == null) {
            throw new RpcException("the rate limits cannot be read or set: Configuration Admin is not running");
        }
        try {
            return cm.getConfiguration(ENGINE_PID, null);
        } catch (IOException e) {
            throw new RpcException("cannot read the engine's configuration: " + e.getMessage());
        }
    }

    /** A value someone wrote by hand that is not a number reads as the default; the engine says why in its log. */
    private static int integer(Dictionary<String, Object> p, String key, int otherwise) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? otherwise : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
