package relay.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** Against a real Felix framework in this JVM. */
class ShutdownHookTest {

    @TempDir
    Path storage;

    private Framework startFramework() throws Exception {
        Framework fw = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        fw.start();
        return fw;
    }

    @Test
    void stopsTheFrameworkAndWaitsUntilEveryBundleHasStopped() throws Exception {
        Framework fw = startFramework();
        BundleContext context = fw.getBundleContext();
        ShutdownHook activator = new ShutdownHook();
        activator.start(context);

        ShutdownHook.stop(fw); // what the hook thread runs; Felix stops on a thread of its own

        assertEquals(Bundle.RESOLVED, fw.getState(), "stop() returned before the framework had stopped");
        activator.stop(context); // harmless after the framework stopped
    }

    @Test
    void aNormalStopRemovesTheHook() throws Exception {
        Framework fw = startFramework();
        ShutdownHook activator = new ShutdownHook();
        activator.start(fw.getBundleContext());
        activator.stop(fw.getBundleContext());
        assertFalse(Runtime.getRuntime().removeShutdownHook(activator.hook), "the hook is still registered");
        fw.stop();
        fw.waitForStop(10_000);
    }
}
