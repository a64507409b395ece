package relay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

class CapturedLogTest {

    @Test
    void collectsWhatThePlatformLoggerOfItsNameLogs() {
        try (CapturedLog log = new CapturedLog("relay.testing.sample")) {
            System.getLogger("relay.testing.sample").log(System.Logger.Level.ERROR, "refused");
            System.getLogger("relay.testing.sample").log(System.Logger.Level.WARNING, "careful");
            assertEquals(List.of("refused"), log.messages(Level.SEVERE));
            assertEquals(List.of("careful"), log.messages(Level.WARNING));
        }
    }

    @Test
    void itsOsgiLoggerWritesIntoItAtTheMatchingLevels() {
        try (CapturedLog log = new CapturedLog("relay.testing.osgi")) {
            org.osgi.service.log.Logger logger = log.logger();
            logger.error("failed", new IllegalStateException("x"));
            logger.warn("port {} of {}", 80, "a");
            logger.info("started");
            logger.audit("audited");
            assertEquals(List.of("failed"), log.messages(Level.SEVERE));
            assertEquals(List.of("port 80 of a"), log.messages(Level.WARNING));
            assertEquals(List.of("started", "audited"), log.messages(Level.INFO));
            assertEquals("relay.testing.osgi", logger.getName());
            assertTrue(logger.isDebugEnabled());
        }
    }
}
