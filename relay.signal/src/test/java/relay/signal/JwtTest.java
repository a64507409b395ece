package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

class JwtTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_800_000_000L;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static JsonObject claims(String sub, long exp, String... pools) {
        JsonObject c = new JsonObject();
        c.addProperty("sub", sub);
        c.addProperty("exp", exp);
        JsonArray p = new JsonArray();
        for (String pool : pools) {
            p.add(pool);
        }
        c.add("pools", p);
        return c;
    }

    private static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anHs256TokenSignedHereIsReadBack() throws Exception {
        JsonObject c = claims("Alice@Example.com", NOW + 60, "room1", "room2");
        JsonObject d = new JsonObject();
        d.addProperty("role", "host");
        c.add("description", d);
        Jwt.Claims read = new Jwt(SECRET, null).verify(Jwt.sign(SECRET, c), NOW);
        assertEquals("alice@example.com", read.user());
        assertEquals(Set.of("room1", "room2"), read.pools());
        assertTrue(read.mayJoin("room1"));
        assertFalse(read.mayJoin("room3"));
        assertEquals("host", read.description().get("role").getAsString());
        assertEquals(NOW + 60, read.exp());
    }

    @Test
    void aStarTokenMayJoinAnyPoolAndNoPoolsMeansNone() throws Exception {
        assertTrue(new Jwt(SECRET, null).verify(Jwt.sign(SECRET, claims("a@b.c", NOW + 1, "*")), NOW).mayJoin("x"));
        Jwt.Claims none = new Jwt(SECRET, null).verify(Jwt.sign(SECRET, claims("a@b.c", NOW + 1)), NOW);
        assertFalse(none.mayJoin("x"));
        assertNull(none.description());
    }

    @Test
    void expiredNotYetValidForgedAndMalformedTokensAreRefusedWithTheirReason() {
        Jwt jwt = new Jwt(SECRET, null);
        assertEquals("token expired", assertThrows(Jwt.Invalid.class,
                () -> jwt.verify(Jwt.sign(SECRET, claims("a@b.c", NOW)), NOW)).getMessage());
        JsonObject nbf = claims("a@b.c", NOW + 100);
        nbf.addProperty("nbf", NOW + 50);
        assertEquals("token not yet valid", assertThrows(Jwt.Invalid.class, () -> jwt.verify(Jwt.sign(SECRET, nbf), NOW)).getMessage());
        String other = Jwt.sign("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8), claims("a@b.c", NOW + 9));
        assertEquals("bad signature", assertThrows(Jwt.Invalid.class, () -> jwt.verify(other, NOW)).getMessage());

        String good = Jwt.sign(SECRET, claims("a@b.c", NOW + 9, "r"));
        String[] p = good.split("\\.");
        String swapped = p[0] + "." + part("{\"sub\":\"root@b.c\",\"exp\":" + (NOW + 9) + ",\"pools\":[\"*\"]}") + "." + p[2];
        assertEquals("bad signature", assertThrows(Jwt.Invalid.class, () -> jwt.verify(swapped, NOW)).getMessage());

        String none = part("{\"alg\":\"none\"}") + "." + p[1] + ".";
        assertTrue(assertThrows(Jwt.Invalid.class, () -> jwt.verify(none, NOW)).getMessage().contains("not taken"));
        String rs = part("{\"alg\":\"RS256\"}") + "." + p[1] + "." + p[2];
        assertEquals("no key here for this alg", assertThrows(Jwt.Invalid.class, () -> jwt.verify(rs, NOW)).getMessage());

        for (String bad : new String[] {null, "", "a.b", "a.b.c.d", "!!.!!.!!", part("[1]") + "." + p[1] + "." + p[2],
                "x".repeat(Jwt.MAX_TOKEN + 1)}) {
            assertThrows(Jwt.Invalid.class, () -> jwt.verify(bad, NOW), String.valueOf(bad));
        }
        assertEquals("sub is not a bare JID", assertThrows(Jwt.Invalid.class,
                () -> jwt.verify(Jwt.sign(SECRET, claims("not a jid@@", NOW + 9)), NOW)).getMessage());
        JsonObject noExp = claims("a@b.c", 0);
        noExp.remove("exp");
        assertEquals("no exp", assertThrows(Jwt.Invalid.class, () -> jwt.verify(Jwt.sign(SECRET, noExp), NOW)).getMessage());
        JsonObject badPools = claims("a@b.c", NOW + 9);
        badPools.addProperty("pools", "room");
        assertThrows(Jwt.Invalid.class, () -> jwt.verify(Jwt.sign(SECRET, badPools), NOW));
    }

    @Test
    void aNodeWithoutASecretTakesNoHs256() {
        Jwt jwt = new Jwt(new byte[0], null);
        assertThrows(Jwt.Invalid.class, () -> jwt.verify(Jwt.sign(SECRET, claims("a@b.c", NOW + 9)), NOW));
    }

    private static String signed(String alg, String algorithm, KeyPair keys, JsonObject claims) throws Exception {
        String input = part("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + part(claims.toString());
        Signature s = Signature.getInstance(algorithm);
        s.initSign(keys.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void rs256AndEs256TokensOfAnIdentityProviderAreCheckedWithItsPublicKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        Jwt byRsa = new Jwt(null, Jwt.publicKey(pem(rsaKeys)));
        assertEquals("bob@example.com", byRsa.verify(signed("RS256", "SHA256withRSA", rsaKeys,
                claims("bob@example.com", NOW + 9, "r")), NOW).user());

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecKeys = ec.generateKeyPair();
        Jwt byEc = new Jwt(null, Jwt.publicKey(pem(ecKeys)));
        String es = signed("ES256", "SHA256withECDSAinP1363Format", ecKeys, claims("carol@example.com", NOW + 9, "r"));
        assertEquals("carol@example.com", byEc.verify(es, NOW).user());
        // the wrong key, or a key of the other kind, refuses
        assertThrows(Jwt.Invalid.class, () -> byRsa.verify(es, NOW));
        KeyPair otherEc = ec.generateKeyPair();
        assertThrows(Jwt.Invalid.class, () -> new Jwt(null, Jwt.publicKey(pem(otherEc))).verify(es, NOW));
        // nor is an HS256 token signed with the public key's bytes taken (algorithm confusion)
        String confused = Jwt.sign(ecKeys.getPublic().getEncoded(), claims("eve@example.com", NOW + 9, "*"));
        assertThrows(Jwt.Invalid.class, () -> byEc.verify(confused, NOW));
        assertThrows(IllegalArgumentException.class, () -> Jwt.publicKey("not a key"));
    }
}
