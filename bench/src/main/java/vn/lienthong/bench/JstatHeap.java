package vn.lienthong.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's heap in use read by {@code jstat -gc} from the JVM's shared performance counters,
 * every few hundred ms, at no CPU cost to the gateway (a sample over its metrics endpoint is an
 * authenticated HTTP request: 15% of the gateway's CPU samples in a tax CSV run at 5 a second).
 */
final class JstatHeap implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final AtomicLong peakBytes = new AtomicLong(-1);

    private JstatHeap(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "bench-jstat-heap");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts sampling the JVM {@code pid} every {@code millis}; empty when this JDK has no jstat. */
    static Optional<JstatHeap> start(long pid, long millis) {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        if (pid < 0 || !Files.isExecutable(jstat)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(List.of(jstat.toString(), "-gc", Long.toString(pid), Long.toString(millis)))
                    .redirectErrorStream(true).start();
            return Optional.of(new JstatHeap(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String[] header = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 0 && cols[0].equals("S0C")) {
                    header = cols;
                    continue;
                }
                if (header == null || cols.length != header.length) {
                    continue;
                }
                long kb = 0;
                boolean parsed = true;
                for (int i = 0; i < header.length && parsed; i++) {
                    // Heap in use: both survivor spaces, eden and the old generation (the heap
                    // pools Micrometer's jvm.memory.used area=heap adds up).
                    if (header[i].equals("S0U") || header[i].equals("S1U") || header[i].equals("EU")
                            || header[i].equals("OU")) {
                        try {
                            kb += (long) Double.parseDouble(cols[i]);
                        } catch (NumberFormatException e) {
                            parsed = false;
                        }
                    }
                }
                if (parsed) {
                    long bytes = kb * 1024;
                    peakBytes.accumulateAndGet(bytes, Math::max);
                }
            }
        } catch (IOException e) {
            // The process ended (close, or the gateway's exit): the peak so far stands.
        }
    }

    /** The peak heap in use since the last call, in bytes (-1 if none read), and starts a new peak. */
    long takePeak() {
        return peakBytes.getAndSet(-1);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
