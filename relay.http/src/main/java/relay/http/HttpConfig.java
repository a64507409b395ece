package relay.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code relay.http}: where the REST API listens and who may use it. */
@ObjectClassDefinition(id = HttpConfig.PID, name = "Relay REST API",
        description = "Address, port and bearer token of the relay's REST/JSON control API.")
@interface HttpConfig {

    String PID = "relay.http";

    @AttributeDefinition(name = "Address", description = "Local address the API listens on. On restart of the component.")
    String address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "1", max = "65535", description = "TCP port of the API. On restart of the component.")
    int port() default 8480;

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, required = false,
            description = "Clients must send 'Authorization: Bearer <token>'. Empty: no token, loopback clients only. At once.")
    String token() default "";
}
