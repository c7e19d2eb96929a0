package io.piecework.rpc.transmission.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The RPC's settings; the port and listening address are Felix HTTP's (org.apache.felix.http). */
@ObjectClassDefinition(name = "Piecework Transmission RPC",
        description = "Transmission's remote protocol at /transmission/rpc, for transmission-remote and other remotes")
public @interface RpcConfig {
    @AttributeDefinition(description = "User for HTTP Basic authentication; empty turns authentication off")
    String username() default "";

    @AttributeDefinition(description = "Password for HTTP Basic authentication", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "Check client addresses against whitelist (Transmission's rpc-whitelist-enabled)")
    boolean whitelist_enabled() default true;

    @AttributeDefinition(description = "Comma-separated client addresses allowed, * matches any run of characters")
    String whitelist() default "127.0.0.1,::1,0:0:0:0:0:0:0:1";

    @AttributeDefinition(description = "Check the Host header against host.whitelist (against DNS rebinding); "
            + "IP addresses and localhost are always allowed")
    boolean host_whitelist_enabled() default true;

    @AttributeDefinition(description = "Comma-separated host names allowed besides IP addresses and localhost, "
            + "* matches any run of characters")
    String host_whitelist() default "";

    @AttributeDefinition(description = "Largest request body in bytes (a 16 MiB .torrent as base64 fits in 24 MiB)")
    long max_request_bytes() default 24L << 20;

    @AttributeDefinition(description = "Folder torrents added without download-dir go to; empty for ~/Downloads")
    String download_dir() default "";
}
