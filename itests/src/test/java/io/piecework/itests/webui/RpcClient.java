package io.piecework.itests.webui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The least of a Transmission RPC client: a JSON string in, the answer's text out, the session-id handshake done. */
final class RpcClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;
    private String sessionId = "";

    /** {@code user} null for no authentication. */
    RpcClient(String base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String call(String json) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> r = http.send(request("/transmission/rpc").header("X-Transmission-Session-Id", sessionId)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 409) {
                sessionId = r.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
        throw new IOException("the session id was refused twice");
    }

    /** GET {@code path}: its status and body. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return authorization == null ? b : b.header("Authorization", authorization);
    }
}
