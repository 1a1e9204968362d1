package io.leadflow.benchmarks;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import java.util.Map;

/** A keep-alive HTTP/1.1 client pool for load generation (the demo's {@code WebhookClient} signs and posts one webhook at a time). */
final class HttpLoad {

    private HttpLoad() {
    }

    static CloseableHttpClient pooled(int connections) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections).build())
                .disableAutomaticRetries()
                .build();
    }

    /** Posts a JSON body and fails unless the answer has the expected status. */
    static String postJson(CloseableHttpClient http, String uri, String body, Map<String, String> headers, int expected) throws Exception {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return http.execute(post, response -> {
            String answer = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
            if (response.getCode() != expected) {
                throw new IllegalStateException("HTTP " + response.getCode() + ": " + answer);
            }
            return answer;
        });
    }
}
