package vn.lienthong.connectors.files;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The receipt files declared in {@code META-INF/services}, by format, found once. */
final class Declared {

    static final Map<String, ReceiptFiles> BY_FORMAT = load();

    private Declared() {
    }

    private static Map<String, ReceiptFiles> load() {
        Map<String, ReceiptFiles> map = new TreeMap<>();
        for (ReceiptFiles files : ServiceLoader.load(ReceiptFiles.class, ReceiptFiles.class.getClassLoader())) {
            ReceiptFiles earlier = map.put(files.format(), files);
            if (earlier != null) {
                throw new IllegalStateException("two receipt files for format " + files.format() + ": "
                        + earlier.getClass().getName() + " and " + files.getClass().getName());
            }
        }
        return Map.copyOf(map);
    }
}
