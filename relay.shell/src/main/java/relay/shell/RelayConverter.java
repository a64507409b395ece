package relay.shell;

import java.time.Clock;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

import relay.api.RelayChannel;
import relay.api.RelayStats;

/**
 * Prints what the relay commands return. Gogo asks every {@link Converter} service to format a
 * result before it falls back to {@code toString}; this one knows the relay's types, so a
 * command returns a value that scripts can use and the console still shows aligned text.
 * Results passed down a pipe ({@code relay:channels | grep alice}) are printed the same way.
 */
@Component(service = Converter.class, property = {
    Converter.CONVERTER_CLASSES + "=relay.api.RelayChannel",
    Converter.CONVERTER_CLASSES + "=relay.api.RelayStats",
    Converter.CONVERTER_CLASSES + "=relay.shell.ChannelList",
    Converter.CONVERTER_CLASSES + "=relay.shell.Allocation",
    Converter.CONVERTER_CLASSES + "=relay.shell.Destruction",
    Converter.CONVERTER_CLASSES + "=relay.shell.DrainMode",
    Converter.CONVERTER_CLASSES + "=relay.shell.PolicyList",
    Converter.CONVERTER_CLASSES + "=relay.shell.NodeList"})
public class RelayConverter implements Converter {

    private final Clock clock;

    /** For the component runtime: ages and idle times are measured on the system clock. */
    public RelayConverter() {
        this(Clock.systemUTC());
    }

    RelayConverter(Clock clock) {
        this.clock = clock;
    }

    /** Converts nothing: the commands take plain strings and check them themselves. */
    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    /** @return the text for a relay type, or {@code null} to let other converters try */
    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (!(target instanceof RelayChannel || target instanceof RelayStats || target instanceof ChannelList
                || target instanceof Allocation || target instanceof Destruction || target instanceof DrainMode
                || target instanceof PolicyList || target instanceof NodeList)) {
            return null;
        }
        return switch (level) {
            case INSPECT -> strip(inspect(target));
            case LINE -> line(target);
            case PART -> part(target);
            default -> throw new IllegalArgumentException("no such format level: " + level);
        };
    }

    private String inspect(Object target) {
        if (target instanceof RelayChannel c) {
            return ChannelDetails.render(c, clock.instant());
        }
        if (target instanceof RelayStats s) {
            return StatsReport.render(s, clock.instant());
        }
        if (target instanceof ChannelList l) {
            return ChannelTable.render(l, clock.instant());
        }
        if (target instanceof Allocation a) {
            return AllocationReport.render(a);
        }
        if (target instanceof PolicyList p) {
            return PolicyTable.render(p);
        }
        if (target instanceof NodeList n) {
            return NodeTable.render(n, clock.instant());
        }
        return line(target);
    }

    private String line(Object target) {
        if (target instanceof RelayChannel c) {
            return ChannelTable.line(c);
        }
        if (target instanceof RelayStats s) {
            return StatsReport.line(s, clock.instant());
        }
        if (target instanceof ChannelList l) {
            return Units.count(l.size(), "channel", "channels") + (l.owner() == null ? "" : " of " + l.owner());
        }
        if (target instanceof Allocation a) {
            return ChannelTable.line(a.channel());
        }
        if (target instanceof Destruction d) {
            return Messages.destroyed(d);
        }
        if (target instanceof DrainMode m) {
            return Messages.drain(m);
        }
        if (target instanceof NodeList n) {
            return NodeTable.line(n);
        }
        PolicyList p = (PolicyList) target;
        return Units.count(p.size(), "policy", "policies");
    }

    private String part(Object target) {
        if (target instanceof RelayChannel c) {
            return c.id();
        }
        if (target instanceof Allocation a) {
            return a.id();
        }
        if (target instanceof Destruction d) {
            return d.channel().id();
        }
        if (target instanceof DrainMode m) {
            return m.draining() ? "on" : "off";
        }
        return line(target);
    }

    /** The console adds a line break of its own after a result. */
    private static String strip(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
