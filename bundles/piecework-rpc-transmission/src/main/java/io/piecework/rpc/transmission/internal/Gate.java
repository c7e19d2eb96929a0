package io.piecework.rpc.transmission.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks a request passes before its JSON is read, in Transmission's order: the client's
 * address ({@code rpc-whitelist}), HTTP Basic authentication, the Host header against DNS
 * rebinding ({@code rpc-host-whitelist}) ({@link #admit}, run for every request to the server by
 * {@link AccessContext}) and the session id against cross-site requests ({@link #session}, the
 * RPC's own). Pure: strings in, a verdict out, so every case is tested without a network.
 *
 * @param clientWhitelist address patterns ({@code *} any run of characters); empty allows all
 * @param username        empty turns authentication off
 * @param hostWhitelist   host name patterns allowed besides IP literals and localhost; null
 *                        turns the host check off
 */
record Gate(List<Pattern> clientWhitelist, String username, String password, List<Pattern> hostWhitelist,
            String sessionId) {
    static final String SESSION_HEADER = "X-Transmission-Session-Id";

    /** The gate a configuration describes; {@code sessionId} is the RPC's (or empty where none is checked). */
    static Gate of(RpcConfig config, String sessionId) {
        return new Gate(config.whitelist_enabled() ? patterns(config.whitelist()) : List.of(), config.username(),
                config.password(), config.host_whitelist_enabled() ? patterns(config.host_whitelist()) : null, sessionId);
    }

    /** Why a request is refused: an HTTP status, a header to send, a message for the body. */
    record Refusal(int status, String header, String headerValue, String message) {
    }

    /** The refusal, or null when the request may go on to the RPC. */
    Refusal check(String clientAddress, String authorization, String host, String sessionHeader) {
        Refusal refusal = admit(clientAddress, authorization, host);
        return refusal != null ? refusal : session(sessionHeader);
    }

    /**
     * The checks every request to Piecework's HTTP server passes ({@link AccessContext}: the RPC,
     * {@code /metrics}, the web UI): address, user, Host. Null when they pass.
     */
    Refusal admit(String clientAddress, String authorization, String host) {
        if (!clientWhitelist.isEmpty() && !matchesAny(clientWhitelist, stripBrackets(clientAddress))) {
            return new Refusal(403, null, null, "Unauthorized IP address " + printable(clientAddress)
                    + ": add it to rpc.whitelist to allow it.");
        }
        if (!username.isEmpty() && !authorized(authorization)) {
            return new Refusal(401, "WWW-Authenticate", "Basic realm=\"Transmission\"", "Unauthorized user.");
        }
        if (hostWhitelist != null && !hostAllowed(host)) {
            return new Refusal(421, null, null, "Transmission received your request, but the hostname was unrecognized: "
                    + "add it to rpc.host.whitelist (this check protects against DNS rebinding attacks).");
        }
        return null;
    }

    /** The RPC's own check against cross-site requests: the session id handshake. Null when it passes. */
    Refusal session(String sessionHeader) {
        if (sessionHeader == null || !constantTimeEquals(sessionHeader, sessionId)) {
            return new Refusal(409, SESSION_HEADER, sessionId, "Missing or stale " + SESSION_HEADER
                    + " header: repeat the request with the header this answer carries.");
        }
        return null;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // Both compared in full either way, so the time taken says nothing about which one differed.
        boolean user = constantTimeEquals(decoded.substring(0, colon), username);
        boolean pass = constantTimeEquals(decoded.substring(colon + 1), password);
        return user & pass;
    }

    /**
     * As Transmission: IP literals need no whitelist (a rebinding attack needs a name the
     * attacker's DNS answers), nor do localhost and localhost.; other names must match.
     */
    boolean hostAllowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return false;
        }
        String host = hostOf(hostHeader.trim()).toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return false;
        }
        if (host.equals("localhost") || host.equals("localhost.") || isIpLiteral(host)) {
            return true;
        }
        return matchesAny(hostWhitelist, host);
    }

    /** The host of a Host header: without the port; an IPv6 literal keeps its brackets. */
    static String hostOf(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? "" : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    private static boolean isIpLiteral(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return host.length() > 2 && host.substring(1, host.length() - 1).matches("[0-9a-f:.]+");
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String stripBrackets(String address) {
        return address != null && address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : String.valueOf(address);
    }

    private static boolean matchesAny(List<Pattern> patterns, String value) {
        return patterns.stream().anyMatch(p -> p.matcher(value).matches());
    }

    /** Comma-separated patterns, {@code *} matching any run of characters, compared case-insensitively. */
    static List<Pattern> patterns(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Pattern.compile(Pattern.quote(s.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q"),
                        Pattern.CASE_INSENSITIVE))
                .toList();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        String text = String.valueOf(s);
        return text.length() > 64 ? text.substring(0, 64) + "..." : text.replaceAll("\\p{Cntrl}", "?");
    }
}
