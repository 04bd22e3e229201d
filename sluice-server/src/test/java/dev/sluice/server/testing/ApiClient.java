package dev.sluice.server.testing;

import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a user of the API does: plain HTTP/1.1 requests against a started server. */
public final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final ApiToken token;

    public ApiClient(ApiServer server, ApiToken token) {
        this.baseUrl = server.url();
        this.token = token;
    }

    /** GET with the right token. */
    public HttpResponse<String> get(String path) {
        return get(path, "Bearer " + token.value());
    }

    /** GET with this Authorization header, or none when null. */
    public HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with the right token and a header of the caller's, body as bytes. */
    public HttpResponse<byte[]> getBytes(String path, String header, String value) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.value())
                .header(header, value)
                .build();
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
