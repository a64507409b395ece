package relay.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** One real HTTP request to the REST API, over a TCP connection to the Jetty listener. */
final class HttpCall {

    /** The answer: status, Location header, body, Content-Type header. */
    record Response(int status, String location, String body, String contentType) {

        /** @return the body as JSON; fails with the body shown if it is not JSON */
        JsonElement json() {
            try {
                return JsonParser.parseString(body);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private HttpCall() {
    }

    static Response send(String method, String url, String jsonBody) {
        return send(method, url, jsonBody, java.util.Map.of());
    }

    /** @param headers request headers to add ({@code Accept}, {@code Authorization}, ...) */
    static Response send(String method, String url, String jsonBody, java.util.Map<String, String> headers) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(10000);
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            if (jsonBody != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(jsonBody.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) {
                in.close();
            }
            return new Response(status, c.getHeaderField("Location"), body, c.getHeaderField("Content-Type"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        }
    }
}
