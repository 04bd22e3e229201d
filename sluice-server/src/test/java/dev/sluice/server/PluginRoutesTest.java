package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes a plugin contributes are served as they answer, behind the token, and a failing one is a 503 without data. */
class PluginRoutesTest {

    private final ApiToken token = ApiToken.generate();
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        server = ApiServer.builder().token(token).routes(new PluginRoutes(List.of(
                ReadRoute.of("/api/totals/{user}", request -> ReadReply.json("{\"user\":\""
                        + request.pathParameter("user") + "\",\"page\":\""
                        + request.queryParameter("page").orElse("1") + "\"}")),
                ReadRoute.of("/api/broken", request -> {
                    throw new IllegalStateException("store down at value secret-user-42");
                })))).start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aContributedRouteAnswersWithItsPathAndQueryParameters() {
        HttpResponse<String> reply = client.get("/api/totals/u1?page=3");
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(reply.body()).isEqualTo("{\"user\":\"u1\",\"page\":\"3\"}");
    }

    @Test
    void aContributedRouteNeedsTheToken() {
        assertThat(client.get("/api/totals/u1", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aRouteThatThrowsIs503WithoutItsMessage() {
        HttpResponse<String> reply = client.get("/api/broken");
        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(reply.body()).isEqualTo("{\"error\":\"unavailable\"}").doesNotContain("secret-user-42");
    }

    @Test
    void aRouteOutsideApiOrTwoOnOnePathAreRefused() {
        assertThatThrownBy(() -> ReadRoute.of("/totals", request -> ReadReply.json("{}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("under /api/");
        ReadRoute one = ReadRoute.of("/api/x", request -> ReadReply.json("{}"));
        assertThatThrownBy(() -> new PluginRoutes(List.of(one, one)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share a path");
    }
}
