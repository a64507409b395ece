package relay.core;

/**
 * Picks the {@link IoEngine} io.engine names. The {@code ffm} engine is compiled for Java 22 into the bundle's
 * versioned part ({@code META-INF/versions/22}), so an older JVM does not even see its classes.
 */
final class IoEngines {

    private static final String FFM_CLASS = "relay.core.FfmEngine";
    /** The ffm engine, or why it cannot run here: probed once, as it loads native symbols. */
    private static volatile Object ffm;

    private IoEngines() {
    }

    /** @return the engine for io.engine's {@code auto}: ffm where it runs, else nio */
    static String resolve(String configured) {
        return switch (configured) {
            case "nio" -> "nio";
            case "ffm" -> {
                String why = ffmUnavailable();
                if (why != null) {
                    throw new IllegalArgumentException(why);
                }
                yield "ffm";
            }
            case "auto" -> ffmUnavailable() == null ? "ffm" : "nio";
            default -> throw new IllegalArgumentException("must be auto, nio or ffm");
        };
    }

    /** @param name {@code nio} or {@code ffm}, as {@link #resolve} returned it */
    static IoEngine get(String name) {
        if (name.equals("ffm")) {
            Object f = probe();
            if (f instanceof IoEngine engine) {
                return engine;
            }
            throw new IllegalStateException((String) f);
        }
        return NioEngine.INSTANCE;
    }

    /** @return why the ffm engine cannot run on this JVM, or null when it can */
    static String ffmUnavailable() {
        Object f = probe();
        return f instanceof IoEngine ? null : (String) f;
    }

    private static Object probe() {
        Object f = ffm;
        if (f == null) {
            f = load();
            ffm = f;
        }
        return f;
    }

    private static Object load() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return "io.engine=ffm needs Java 22 or newer (this is Java " + feature + ")";
        }
        try {
            return Class.forName(FFM_CLASS, true, IoEngines.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return "io.engine=ffm is not in this build of relay.core (it was built without a JDK 22 or newer)";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "io.engine=ffm cannot run here: " + cause;
        }
    }
}
