package relay.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's limit on open files, as Linux states it; -1 where nobody says. */
final class FileDescriptors {

    private FileDescriptors() {
    }

    static long limit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: nothing to warn about
        }
        return -1;
    }
}
