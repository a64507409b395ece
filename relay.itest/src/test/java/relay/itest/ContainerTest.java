package relay.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import javax.inject.Inject;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The one Pax Exam configuration of the suite, which every test class extends: one Felix per
 * class, booted with the container (SCR, Config Admin, Log Service), {@code relay.api} and the
 * shared test helpers ({@code relay.testing}), all from this build's copies, plus what
 * {@link #extraOptions()} adds. The relay's own bundles are not booted: each test installs them as
 * an operator would, so that configuration is in place before the core starts (see
 * {@link RelayBundles}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class ContainerTest {

    /** The context of the test bundle, as a consumer bundle has one. */
    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] config() {
        return options(container(), composite(extraOptions()));
    }

    /** @return what this class boots besides the container: nothing, unless a class says otherwise */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** Felix with SCR, Config Admin, the OSGi Log Service, relay.api and relay.testing. */
    private static Option container() {
        return composite(
                junitBundles(),
                // Pax Exam's bundles want slf4j 1.x, Felix HTTP Jetty 12 wants 2.x: the test JVM's
                // slf4j-api 2 serves both, as its own bundle manifest does, so no provider hunt in OSGi.
                systemPackages(
                        "org.slf4j;version=2.0.17", "org.slf4j.spi;version=2.0.17",
                        "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17",
                        "org.slf4j;version=1.7.36", "org.slf4j.helpers;version=1.7.36",
                        // the JDK's, for Prometheus client_java's JVM instrumentation (relay.http's /metrics)
                        "com.sun.management"),
                // a bundle that does not resolve at boot fails the class, not some test later
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                boot("org.osgi.service.component"),
                boot("org.osgi.util.function"),
                boot("org.osgi.util.promise"),
                boot("org.apache.felix.configadmin"),
                boot("org.apache.felix.log"),
                boot("org.apache.felix.scr"),
                boot("relay.api"),
                boot("relay.testing"));
    }

    /** The Gogo runtime, for the relay.shell commands. */
    static Option gogo() {
        return boot("org.apache.felix.gogo.runtime");
    }

    /**
     * Felix HTTP Jetty (HTTP Whiteboard) without its default listener, and what relay.http imports:
     * Gson, Prometheus client_java (with jsr305 for its javax.annotation import; com.sun.management,
     * which its JVM instrumentation imports, comes from the system bundle).
     */
    static Option http() {
        return composite(
                frameworkProperty("org.apache.felix.http.enable").value("false"),
                boot("jsr305"),
                boot("prometheus-metrics-config"),
                boot("prometheus-metrics-model"),
                boot("prometheus-metrics-tracer-common"),
                boot("prometheus-metrics-core"),
                boot("prometheus-metrics-exposition-textformats"),
                boot("prometheus-metrics-instrumentation-jvm"),
                boot("org.apache.felix.http.servlet-api"),
                boot("commons-io"),
                boot("commons-fileupload"),
                boot("gson"),
                boot("org.apache.felix.http.jetty12-with-jetty-websockets"));
    }

    /** Jedis and what it imports (Gson comes with {@link #http()}), for relay.signal's Redis bus. */
    static Option redisClient() {
        return composite(
                boot("commons-pool2"),
                boot("json"),
                boot("redis-authx-core"),
                boot("jedis"));
    }

    private static Option boot(String artifactId) {
        return bundle(BuildBundles.url(artifactId));
    }
}
