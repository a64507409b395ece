package relay.http;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code relay.http}, where the REST API listens and who may use it: its
 * metatype description, and the component property type {@link HttpListener} and
 * {@link RestServlet} are configured with. The defaults live here only (kept at run time, for
 * the settings an invalid first configuration falls back to: {@link HttpSettings#DEFAULTS}).
 *
 * <p>The port is a whole number read as text and checked by {@link HttpSettings}: Declarative
 * Services would cut 8480.5 to 8480, refuse {@code " 8480 "} and name no value when it refuses.
 */
@Retention(RetentionPolicy.RUNTIME)
@ObjectClassDefinition(id = HttpConfig.PID, name = "Relay REST API",
        description = "Address, port, bearer token and TLS keystore of the relay's REST/JSON control API.")
@interface HttpConfig {

    String PID = "relay.http";

    @AttributeDefinition(name = "Address", description = "Local address the API listens on. On restart of the component.")
    String address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", type = AttributeType.INTEGER, min = "1", max = "65535",
            description = "TCP port of the API. On restart of the component.")
    String port() default "8480";

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, required = false,
            description = "Clients must send 'Authorization: Bearer <token>': at least 16 printable ASCII characters,"
                    + " no spaces. Empty: no token, clients on this host only (loopback address and Host). At once.")
    String token() default "";

    @AttributeDefinition(name = "TLS keystore", required = false,
            description = "PKCS#12 file with the listener's private key and certificate chain (relative to the working"
                    + " directory). Set: the API serves HTTPS only. Empty: plain HTTP. On restart of the listener.")
    String tls_keystore() default "";

    @AttributeDefinition(name = "TLS keystore password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the keystore and of its key. On restart of the listener.")
    String tls_password() default "";
}
