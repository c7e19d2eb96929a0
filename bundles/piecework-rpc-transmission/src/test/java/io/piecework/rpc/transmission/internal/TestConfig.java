package io.piecework.rpc.transmission.internal;

import java.lang.annotation.Annotation;

/** An {@link RpcConfig} with the defaults, for tests to change one setting at a time. */
class TestConfig implements RpcConfig {
    String username = "";
    String password = "";
    boolean whitelistEnabled = true;
    String whitelist = "127.0.0.1,::1,0:0:0:0:0:0:0:1";
    boolean hostWhitelistEnabled = true;
    String hostWhitelist = "";
    long maxRequestBytes = 24L << 20;
    String downloadDir = "";

    @Override public String username() { return username; }
    @Override public String password() { return password; }
    @Override public boolean whitelist_enabled() { return whitelistEnabled; }
    @Override public String whitelist() { return whitelist; }
    @Override public boolean host_whitelist_enabled() { return hostWhitelistEnabled; }
    @Override public String host_whitelist() { return hostWhitelist; }
    @Override public long max_request_bytes() { return maxRequestBytes; }
    @Override public String download_dir() { return downloadDir; }
    @Override public Class<? extends Annotation> annotationType() { return RpcConfig.class; }
}
