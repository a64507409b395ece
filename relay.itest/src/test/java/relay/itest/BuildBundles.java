package relay.itest;

import java.io.File;

/**
 * The bundle files of this build: the failsafe execution copies every bundle the tests use into
 * one folder (system property {@code relay.itest.bundles}), named by artifact id without version.
 * The tests install by {@code file:} URL from there, so they never pick up a stale installed jar.
 */
final class BuildBundles {

    static final String FOLDER_PROPERTY = "relay.itest.bundles";

    private BuildBundles() {
    }

    /** @return the {@code file:} URL of the bundle with this artifact id; fails if the build did not copy it */
    static String url(String artifactId) {
        String folder = System.getProperty(FOLDER_PROPERTY);
        if (folder == null) {
            throw new IllegalStateException("system property " + FOLDER_PROPERTY
                    + " is not set: run the tests with mvn verify, which copies the bundles");
        }
        File jar = new File(folder, artifactId + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("no bundle " + jar + ": the build did not copy " + artifactId);
        }
        return jar.toURI().toString();
    }
}
