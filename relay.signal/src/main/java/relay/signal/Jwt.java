package relay.signal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import relay.api.BareJid;

/**
 * JSON Web Tokens as the node takes them (RFC 7519, compact JWS): HS256 with the node's secret,
 * RS256 or ES256 with an identity provider's public key; never {@code none}, never an algorithm
 * the configuration does not name a key for. Claims: {@code sub} the user (a bare JID), {@code exp}
 * (required, seconds since the epoch), {@code nbf} (optional), {@code pools} (an array of pool
 * names, {@code "*"} for any), {@code description} (an optional JSON object).
 */
final class Jwt {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** Longest token taken: a description fits, a flood of bytes does not. */
    static final int MAX_TOKEN = 8192;

    /** What a valid token says. */
    record Claims(String user, Set<String> pools, long exp, JsonObject description) {
        boolean mayJoin(String pool) {
            return pools.contains("*") || pools.contains(pool);
        }
    }

    /** Why a token is refused: its message is safe to send to the client. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] secret;
    private final PublicKey key;

    Jwt(byte[] secret, PublicKey key) {
        this.secret = secret == null ? new byte[0] : secret.clone();
        this.key = key;
    }

    /** @return an HS256 token of these claims, signed with {@code secret} */
    static String sign(byte[] secret, JsonObject claims) {
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String input = header + "." + payload;
        return input + "." + B64.encodeToString(hmac(secret, input));
    }

    /**
     * @param token the compact token
     * @param nowSeconds the time, in seconds since the epoch
     * @return its claims
     * @throws Invalid with the reason, if it is malformed, badly signed, expired or not yet valid
     */
    Claims verify(String token, long nowSeconds) throws Invalid {
        if (token == null || token.isEmpty()) {
            throw new Invalid("no token");
        }
        if (token.length() > MAX_TOKEN) {
            throw new Invalid("token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Invalid("not a compact JWT");
        }
        JsonObject header = object(parts[0], "header");
        JsonElement alg = header.get("alg");
        if (alg == null || !alg.isJsonPrimitive() || !alg.getAsJsonPrimitive().isString()) {
            throw new Invalid("no alg");
        }
        byte[] signature = decode(parts[2], "signature");
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        switch (alg.getAsString()) {
            case "HS256" -> {
                if (secret.length == 0) {
                    throw new Invalid("HS256 tokens are not taken here");
                }
                if (!MessageDigest.isEqual(hmac(secret, parts[0] + "." + parts[1]), signature)) {
                    throw new Invalid("bad signature");
                }
            }
            case "RS256" -> check(key instanceof RSAPublicKey, "SHA256withRSA", input, signature);
            case "ES256" -> check(key instanceof ECPublicKey, "SHA256withECDSAinP1363Format", input, signature);
            default -> throw new Invalid("alg " + shown(alg.getAsString()) + " is not taken");
        }
        JsonObject claims = object(parts[1], "payload");
        long exp = seconds(claims, "exp", true);
        if (nowSeconds >= exp) {
            throw new Invalid("token expired");
        }
        if (claims.has("nbf") && nowSeconds < seconds(claims, "nbf", true)) {
            throw new Invalid("token not yet valid");
        }
        JsonElement sub = claims.get("sub");
        if (sub == null || !sub.isJsonPrimitive() || !sub.getAsJsonPrimitive().isString()) {
            throw new Invalid("no sub");
        }
        String user;
        try {
            user = BareJid.parse(sub.getAsString()).toString();
        } catch (IllegalArgumentException e) {
            throw new Invalid("sub is not a bare JID");
        }
        return new Claims(user, pools(claims.get("pools")), exp, description(claims.get("description")));
    }

    private void check(boolean keyFits, String algorithm, byte[] input, byte[] signature) throws Invalid {
        if (!keyFits) {
            throw new Invalid("no key here for this alg");
        }
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(input);
            if (!s.verify(signature)) {
                throw new Invalid("bad signature");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Invalid("bad signature");
        }
    }

    private static Set<String> pools(JsonElement e) throws Invalid {
        if (e == null || e.isJsonNull()) {
            return Set.of();
        }
        if (!e.isJsonArray()) {
            throw new Invalid("pools is not an array");
        }
        Set<String> pools = new LinkedHashSet<>();
        for (JsonElement p : (JsonArray) e) {
            if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isString()) {
                throw new Invalid("pools holds a value that is not a string");
            }
            pools.add(p.getAsString());
        }
        return Collections.unmodifiableSet(pools);
    }

    private static JsonObject description(JsonElement e) throws Invalid {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new Invalid("description is not an object");
        }
        return e.getAsJsonObject();
    }

    private static long seconds(JsonObject claims, String name, boolean required) throws Invalid {
        JsonElement e = claims.get(name);
        if (e == null) {
            if (required) {
                throw new Invalid("no " + name);
            }
            return 0;
        }
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw new Invalid(name + " is not a number");
        }
        try {
            return e.getAsBigDecimal().longValue();
        } catch (NumberFormatException | ArithmeticException x) {
            throw new Invalid(name + " is not a number");
        }
    }

    private static JsonObject object(String part, String what) throws Invalid {
        try {
            return Json.parseObject(new String(decode(part, what), StandardCharsets.UTF_8));
        } catch (Json.Malformed e) {
            throw new Invalid(what + " is not a JSON object");
        }
    }

    private static byte[] decode(String part, String what) throws Invalid {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new Invalid(what + " is not base64url");
        }
    }

    private static byte[] hmac(byte[] secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String shown(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 20 ? one.substring(0, 17) + "..." : one;
    }

    /**
     * @param pem an X.509 SubjectPublicKeyInfo, PEM or its base64 body
     * @return the RSA or EC key
     * @throws IllegalArgumentException if it is neither
     */
    static PublicKey publicKey(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next
            }
        }
        throw new IllegalArgumentException("no X.509 RSA or EC public key");
    }
}
