package vn.lienthong.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Where a run's CPU went, per process, from the operating system: the gateway's JVM, this JVM (the
 * brokers, the load producer and the counters) and PostgreSQL (its postmaster, the backends that
 * ended and those still running). A path's cost per message is the sum: at the target ratio it
 * must fit in the two cores beside the brokers' own.
 */
final class CpuSplit {

    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

    /** CPU time so far, in nanoseconds; -1 where unknown. */
    record Sample(long gateway, long bench, long postgres) {

        /** What was spent since {@code before}, per message, in milliseconds, as a row. */
        String perMessage(Sample before, int messages) {
            return String.format(Locale.ROOT, "%s / %s / %s", ms(gateway, before.gateway, messages),
                    ms(bench, before.bench, messages), ms(postgres, before.postgres, messages));
        }

        private static String ms(long now, long then, int messages) {
            return now < 0 || then < 0 ? "?" : String.format(Locale.ROOT, "%.2f", (now - then) / 1e6 / messages);
        }
    }

    private final Path postgresData;

    /** A split whose PostgreSQL is the one serving {@code postgresData}. */
    CpuSplit(Path postgresData) {
        this.postgresData = postgresData.toAbsolutePath().normalize();
    }

    /** The CPU of the gateway (pid, or -1 when none runs), this JVM and PostgreSQL now. */
    Sample sample(long gatewayPid) {
        long gateway = gatewayPid < 0 ? 0 : ProcessHandle.of(gatewayPid)
                .flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
        long bench = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new Sample(gateway, bench, postgres().orElse(-1));
    }

    /** The postmaster's own and reaped children's time, plus its live children's (Linux /proc). */
    private OptionalLong postgres() {
        String mark = "-D " + postgresData;
        long postmaster = -1;
        long total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String cmd = read(p.resolve("cmdline")).replace('\0', ' ');
                if (cmd.contains(mark)) {
                    postmaster = Long.parseLong(name);
                    break;
                }
            }
            if (postmaster < 0) {
                return OptionalLong.empty();
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] f = stat(p);
                if (f == null) {
                    continue;
                }
                long pid = Long.parseLong(name);
                long ppid = Long.parseLong(f[1]);
                long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (pid == postmaster) {
                    total += own + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } else if (ppid == postmaster) {
                    total += own;
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total * CLOCK_TICK_NANOS);
    }

    /** The fields of /proc/PID/stat after the command name (state first), or null if it is gone. */
    private static String[] stat(Path proc) {
        String s = read(proc.resolve("stat"));
        int close = s.lastIndexOf(')');
        return close < 0 ? null : s.substring(close + 2).split(" ");
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
