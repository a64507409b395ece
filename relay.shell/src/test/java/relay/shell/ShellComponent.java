package relay.shell;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The component description bnd generated for {@link RelayCommands} (OSGI-INF on the class
 * path), read the way the component runtime reads it, so tests register the commands with
 * exactly the scope and functions a framework would.
 */
record ShellComponent(Element root) {

    static ShellComponent read() {
        String path = "/OSGI-INF/" + RelayCommands.class.getName() + ".xml";
        try (InputStream in = RelayCommands.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing: bnd-maven-plugin generates it at process-classes");
            }
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return new ShellComponent(f.newDocumentBuilder().parse(in).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    boolean immediate() {
        return Boolean.parseBoolean(root.getAttribute("immediate"));
    }

    /** @return the values of a property: its value attribute, or one per line of its body */
    List<String> property(String name) {
        NodeList props = root.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            if (name.equals(p.getAttribute("name"))) {
                return p.hasAttribute("value") ? List.of(p.getAttribute("value"))
                        : Arrays.stream(p.getTextContent().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            }
        }
        throw new IllegalArgumentException("no property " + name);
    }
}
