package io.piecework.webui.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Transmission RPC's address whitelist and HTTP Basic user, applied to {@code /piecework/*}
 * (read from the RPC's own configuration, so one setting guards both; a copy of
 * piecework-metrics' Access, as bundles share no internal packages). Pure: strings in, an
 * HTTP status out (0 to go on).
 *
 * @param whitelist address patterns ({@code *} any run of characters); empty allows all
 * @param username  empty turns authentication off
 */
record Access(List<Pattern> whitelist, String username, String password) {
    static Access of(AccessConfig c) {
        List<Pattern> allowed = !c.whitelist_enabled() ? List.of() : Arrays.stream(c.whitelist().split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Pattern.compile(Arrays.stream(s.split("\\*", -1)).map(Pattern::quote)
                        .reduce((a, b) -> a + ".*" + b).orElse(""), Pattern.CASE_INSENSITIVE))
                .toList();
        return new Access(allowed, c.username(), c.password());
    }

    /** 403 for an address not allowed, 401 for a missing or wrong user, else 0. */
    int check(String clientAddress, String authorization) {
        String address = clientAddress == null ? "" : clientAddress.replace("[", "").replace("]", "");
        if (!whitelist.isEmpty() && whitelist.stream().noneMatch(p -> p.matcher(address).matches())) {
            return 403;
        }
        return username.isEmpty() || authorized(authorization) ? 0 : 401;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(decoded, expected); // constant time for equal lengths
    }
}
