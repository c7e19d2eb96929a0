package io.piecework.metrics.internal;

/**
 * The keys {@code /metrics} reads from the Transmission RPC's configuration (PID
 * {@code io.piecework.rpc.transmission}, described by the RPC's metatype), with the RPC's
 * defaults, so both answer the same clients.
 */
@interface MetricsConfig {
    String username() default "";

    String password() default "";

    boolean whitelist_enabled() default true;

    String whitelist() default "127.0.0.1,::1,0:0:0:0:0:0:0:1";
}
