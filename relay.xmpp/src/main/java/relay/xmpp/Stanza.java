package relay.xmpp;

import java.util.Map;

/**
 * What the component reads of one top-level stanza, taken from the stream's events as they pass
 * (no tree is built): the stanza's name and addressing, and the name, namespace and attributes of
 * its first child element, which is all an IQ handler needs to route and answer it.
 *
 * @param name {@code iq}, {@code presence}, {@code message} or another top-level name
 * @param type the {@code type} attribute, or empty
 * @param id the {@code id} attribute, or empty
 * @param from the {@code from} attribute, or empty
 * @param to the {@code to} attribute, or empty
 * @param childName the local name of the first child element, or empty
 * @param childNamespace its namespace, or empty
 * @param childAttributes its attributes (local names, no namespace)
 * @param children the number of child elements of the stanza
 */
record Stanza(String name, String type, String id, String from, String to, String childName, String childNamespace,
        Map<String, String> childAttributes, int children) {

    String childAttribute(String name) {
        return childAttributes.getOrDefault(name, "");
    }
}
