package vn.lienthong.connectors.tax;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * DESIGN.md §8: a 1,000,000-row tax CSV is decoded streamed, in bounded memory. The file (about
 * 470 MB) is generated on the fly and never exists as a whole; the surefire JVM runs with -Xmx1g
 * and the decoded messages (about 1 GB of JSON) are counted and dropped, so holding either would
 * show up as growth of the heap retained between the 100,000th and the 900,000th row.
 */
class TaxCsvMillionRowsTest {

    static final int ROWS = 1_000_000;

    @Test
    void aMillionRowFileDecodesInBoundedMemory() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] retainedAt = new long[2];
        long[] peak = {0};
        long[] count = {0};
        long[] failures = {0};
        long[] bytes = {0};
        GeneratedFile file = new GeneratedFile(ROWS);
        long start = System.nanoTime();

        new TaxCsvConnector().decode(file, "million.csv", item -> {
            long n = ++count[0];
            if (item instanceof Decoded.Canonical c) {
                bytes[0] += c.json().length;
                if (n % 250_000 == 1) {
                    ValidationResult r = TaxCsvConnectorTest.VALIDATOR.validate(c.json());
                    assertThat(r.errors()).as("row %d", n).isEmpty();
                }
            } else {
                failures[0]++;
            }
            if (n % 10_000 == 0) {
                peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
            }
            if (n == 100_000 || n == 900_000) {
                retainedAt[n == 100_000 ? 0 : 1] = retainedAfterGc(memory);
            }
        });

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("tax-csv: %,d rows (%,d MB of CSV, %,d MB of JSON) in %.1f s (%,.0f rows/s); max heap %,d MB,"
                + " peak heap used %,d MB, retained after GC at row 100,000: %,d MB, at row 900,000: %,d MB%n",
                count[0], file.produced / 1_000_000, bytes[0] / 1_000_000, seconds, count[0] / seconds,
                Runtime.getRuntime().maxMemory() >> 20, peak[0] >> 20, retainedAt[0] >> 20, retainedAt[1] >> 20);
        assertThat(count[0]).isEqualTo(ROWS);
        assertThat(failures[0]).isZero();
        assertThat(file.produced).isGreaterThan(Runtime.getRuntime().maxMemory() / 4);
        // Nothing accumulates per row: what is retained does not grow with the rows read.
        assertThat(retainedAt[1] - retainedAt[0]).isLessThan(32L << 20);
    }

    private static long retainedAfterGc(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** A valid tax-csv file of n rows, produced as it is read, trailer included. */
    static final class GeneratedFile extends InputStream {
        private final int rows;
        private final MessageDigest digest = CsvWriter.sha256();
        private byte[] chunk;
        private int pos;
        private int next; // 0 = header, 1..rows = data rows, rows + 1 = trailer, beyond = end
        long produced;

        GeneratedFile(int rows) {
            this.rows = rows;
            this.chunk = (String.join(",", TaxFiles.HEADER) + "\r\n").getBytes(StandardCharsets.UTF_8);
            this.next = 1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (pos == chunk.length) {
                if (next > rows + 1) {
                    return -1;
                }
                if (next <= rows) {
                    Bytes out = new Bytes(64 * 1024);
                    int upTo = Math.min(rows, next + 99);
                    for (int i = next; i <= upTo; i++) {
                        row(out, i);
                    }
                    next = upTo + 1;
                    chunk = out.toArray();
                    digest.update(chunk);
                } else {
                    chunk = ("#TRAILER," + rows + "," + HexFormat.of().formatHex(digest.digest()) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    next++;
                }
                pos = 0;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            produced += n;
            return n;
        }

        private static final List<String> STATUSES = List.of("ACTIVE", "SUSPENDED", "CEASED", "NOT_AT_ADDRESS", "CLOSED");
        private static final byte[] COMMON = utf8("TAX-20261119-BIG,4d75c259-7658-40f0-bce6-4095b9c72029,MOIT.DMS,"
                + "QLTT-HN-2026-1187,2026-11-19T16:10:00+07:00,COMPLETE,,");
        private static final byte[] REGISTRATION = utf8("TAX_REGISTRATION,organization,Công ty TNHH Thương mại và Dịch vụ số ");
        private static final byte[] REGISTRATION_2 = utf8(",0105123457,,true,,\"CÔNG TY TNHH THƯƠNG MẠI, DỊCH VỤ SỐ ");
        private static final byte[][] REGISTRATION_3 = STATUSES.stream().map(st -> utf8("\"," + st
                + ",2019-03-12,Thuế cơ sở 7 thành phố Hà Nội,Số ")).toArray(byte[][]::new);
        private static final byte[] REGISTRATION_4 = utf8(" phố Quang Trung,Phường Hà Đông,01,,,,,,,,,\r\n");
        private static final byte[] INVOICE = utf8("E_INVOICES,organization,Công ty TNHH Thương mại và Dịch vụ số ");
        private static final byte[] INVOICE_2 = utf8(",0105123457,,true,,,,,,,,,1C26TLK,");
        private static final byte[] INVOICE_3 = utf8(",2026-08-21,0105123457,0100233488-001,Kem chống nắng Sulwhasoo UV Wise 50ml,");
        private static final byte[] INVOICE_4 = utf8(",true,Hóa đơn hợp lệ\r\n");

        /** Row i: registration rows and invoice rows in turn, each with a quoted comma or numbers of its own. */
        static void row(Bytes out, int i) {
            out.put(COMMON);
            if (i % 2 == 1) {
                out.put(REGISTRATION).number(i).put(REGISTRATION_2).number(i).put(REGISTRATION_3[i % 5])
                        .number(i % 997).put(REGISTRATION_4);
            } else {
                out.put(INVOICE).number(i).put(INVOICE_2).number(i % 99_999_999).put(INVOICE_3).number(1000L * i)
                        .put(INVOICE_4);
            }
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A growable byte buffer with ASCII numbers, to produce the rows cheaply. */
    static final class Bytes {
        private byte[] b;
        private int n;

        Bytes(int capacity) {
            b = new byte[capacity];
        }

        Bytes put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, b, n, bytes.length);
            n += bytes.length;
            return this;
        }

        Bytes number(long v) {
            return put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(b, n);
        }

        private void ensure(int more) {
            if (n + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }
    }
}
