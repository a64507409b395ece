package relay.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.ComponentException;

/**
 * A component property type (the {@code @ObjectClassDefinition} annotation a component takes in
 * {@code @Activate}/{@code @Modified}) backed by a map, as Declarative Services makes it: so that
 * tests outside a framework hand components exactly what SCR would.
 *
 * <p>Follows the DS 1.4 rules: a method {@code port_min()} reads key {@code port.min} ({@code _}
 * is a dot, {@code __} an underscore, {@code $} is dropped, {@code $_$} is a dash); a missing key
 * gives the annotation's default (or 0, false, null without one); strings are coerced to the
 * return type; a value that cannot be coerced throws {@link ComponentException} when the method
 * is called, as Felix SCR does.
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /** @return an instance of {@code type} reading {@code properties} */
    public static <A> A of(Class<A> type, Map<String, ?> properties) {
        Map<String, Object> copy = new HashMap<>(properties);
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + copy;
                case "hashCode":
                    return copy.hashCode();
                case "equals":
                    return self == args[0];
                case "annotationType":
                    return type;
                default:
                    return value(method, copy.get(key(method.getName())));
            }
        });
        return type.cast(proxy);
    }

    /** @return the property key DS derives from a method name */
    public static String key(String methodName) {
        StringBuilder b = new StringBuilder();
        String n = methodName;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '$') {
                if (n.startsWith("$_$", i)) {
                    b.append('-');
                    i += 2;
                } else if (n.startsWith("$$", i)) {
                    b.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (n.startsWith("__", i)) {
                    b.append('_');
                    i++;
                } else {
                    b.append('.');
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Object value(Method method, Object raw) {
        Class<?> type = method.getReturnType();
        if (raw == null) {
            Object def = method.getDefaultValue();
            return def != null ? def : empty(type);
        }
        if (type.isArray()) {
            Class<?> element = type.getComponentType();
            Object[] items = raw instanceof Collection<?> c ? c.toArray()
                    : raw.getClass().isArray() ? boxed(raw) : new Object[] {raw};
            Object out = Array.newInstance(element, items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(out, i, coerce(items[i], element));
            }
            return out;
        }
        if (raw instanceof Collection<?> c) {
            raw = c.isEmpty() ? null : c.iterator().next();
        } else if (raw.getClass().isArray()) {
            Object[] items = boxed(raw);
            raw = items.length == 0 ? null : items[0];
        }
        return raw == null ? empty(type) : coerce(raw, type);
    }

    private static Object[] boxed(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }

    private static Object empty(Class<?> type) {
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0d;
        }
        return null;
    }

    private static Object coerce(Object raw, Class<?> type) {
        try {
            if (type == String.class) {
                return raw.toString();
            }
            if (type == boolean.class || type == Boolean.class) {
                return raw instanceof Boolean b ? b : Boolean.parseBoolean(raw.toString());
            }
            if (type == int.class || type == Integer.class) {
                return raw instanceof Number n ? n.intValue() : Integer.parseInt(raw.toString());
            }
            if (type == long.class || type == Long.class) {
                return raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString());
            }
            if (type == double.class || type == Double.class) {
                return raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString());
            }
        } catch (NumberFormatException e) {
            throw new ComponentException("cannot coerce " + raw + " to " + type.getSimpleName(), e);
        }
        throw new ComponentException("unsupported component property type " + type);
    }
}
