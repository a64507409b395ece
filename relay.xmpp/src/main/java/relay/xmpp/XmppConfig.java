package relay.xmpp;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code relay.xmpp}: where the XMPP server's component port is, the
 * component's domain and its shared secret. Numbers are read as text and checked by
 * {@link XmppSettings}, as every component of the relay does.
 */
@Retention(RetentionPolicy.RUNTIME)
@ObjectClassDefinition(id = XmppConfig.PID, name = "Relay XMPP component",
        description = "The relay as a Jingle Nodes service (XEP-0278): an external component (XEP-0114) of an XMPP server.")
@interface XmppConfig {

    String PID = "relay.xmpp";

    @AttributeDefinition(name = "Server host", description = "Host name or address of the XMPP server's component port.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Server port", type = AttributeType.INTEGER,
            description = "The XMPP server's component port (jabber:component:accept), 5347 on most servers.")
    String port() default "5347";

    @AttributeDefinition(name = "Component domain",
            description = "The component's JID as the server knows it, e.g. relay.example.com.")
    String domain() default "";

    @AttributeDefinition(name = "Shared secret", type = AttributeType.PASSWORD,
            description = "The component's secret as the server's configuration gives it.")
    String secret() default "";

    @AttributeDefinition(name = "Reconnect delay", type = AttributeType.INTEGER,
            description = "Seconds between attempts to reach the server while it is away (1..3600).")
    String reconnect_seconds() default "5";

    @AttributeDefinition(name = "Ping after", type = AttributeType.INTEGER,
            description = "Seconds without anything from the server after which the component pings it (XEP-0199),"
                    + " so that a server gone without closing the connection is noticed (0..3600; 0: never).")
    String ping_seconds() default "30";

    @AttributeDefinition(name = "Ping timeout", type = AttributeType.INTEGER,
            description = "Seconds of silence after a ping that declare the link dead; the component then reconnects (1..3600).")
    String ping_timeout_seconds() default "10";
}
