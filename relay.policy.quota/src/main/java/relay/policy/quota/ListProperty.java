package relay.policy.quota;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a multi-valued configuration property. Config Admin may hold it as a {@code String[]}
 * or a collection, while a FileInstall {@code .cfg} file gives one plain string: every element
 * is split on commas, so {@code a, b} and {@code ["a", "b"]} read the same.
 */
final class ListProperty {

    private ListProperty() {
    }

    /**
     * @param key the property's name, for the error message
     * @param value its value, or {@code null} when absent
     * @return the trimmed, non-empty items, in order
     * @throws IllegalArgumentException if the value is neither text nor a list of text
     */
    static List<String> values(String key, Object value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        Object[] elements;
        if (value instanceof String s) {
            elements = new Object[] {s};
        } else if (value instanceof String[] array) {
            elements = array;
        } else if (value instanceof Collection<?> c) {
            elements = c.toArray();
        } else {
            throw new IllegalArgumentException(key + " must be a list of text, was " + value.getClass().getSimpleName()
                    + " '" + value + "'");
        }
        for (Object element : elements) {
            if (element == null) {
                continue;
            }
            for (String item : String.valueOf(element).split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }
}
