package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardPngTest {

    @Test
    void valuesAreWrittenInThePanelsUnits() {
        assertEquals("12.5k/s", DashboardPng.format(12_500, DashboardPanels.Unit.PER_SECOND, 0));
        assertEquals("34.4 Mb/s", DashboardPng.format(34_400_000, DashboardPanels.Unit.BITS_PER_SECOND, 0));
        assertEquals("25 %", DashboardPng.format(0.25, DashboardPanels.Unit.RATIO, 0.25));
        assertEquals("2.5 ms", DashboardPng.format(0.0025, DashboardPanels.Unit.SECONDS, 0));
        assertEquals("850 µs", DashboardPng.format(0.00085, DashboardPanels.Unit.SECONDS, 0));
        assertEquals("5k", DashboardPng.format(5000, DashboardPanels.Unit.COUNT, 0));
        assertEquals("-", DashboardPng.format(Double.NaN, DashboardPanels.Unit.COUNT, 0));
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1.0, DashboardPng.niceStep(0.7));
        assertEquals(20.0, DashboardPng.niceStep(13));
        assertEquals(5000.0, DashboardPng.niceStep(4100));
        assertEquals(1.0, DashboardPng.niceStep(0));
    }

    @Test
    void aPngOfAllPanelsIsWritten(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        double[] t = {0, 1, 2};
        DashboardPanels.Panel p = new DashboardPanels.Panel("Forwarded packets per second",
                DashboardPanels.Unit.PER_SECOND, t, List.of(new DashboardPanels.Series("forwarded",
                        new double[] {Double.NaN, 1000, 2000})));
        Path file = dir.resolve("out").resolve("dashboard.png");
        DashboardPng.write(file, "title", "line one\nline two", List.of(p, p, p),
                List.of(new DashboardPng.Marker(1, "window")));
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(2 * 640 + 3 * 8, img.getWidth());
        assertTrue(img.getHeight() > 2 * 300, "two rows of panels");
    }
}
