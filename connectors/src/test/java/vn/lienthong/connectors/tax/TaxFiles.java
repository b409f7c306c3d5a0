package vn.lienthong.connectors.tax;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tax-csv files for tests, with a correct trailer unless told otherwise. */
final class TaxFiles {

    static final List<String> HEADER = Columns.Response.HEADER;

    private TaxFiles() {
    }

    /** A row from column values by header name; the others empty. */
    static List<String> row(Map<String, String> values) {
        for (String k : values.keySet()) {
            if (!HEADER.contains(k)) {
                throw new IllegalArgumentException("no column " + k);
            }
        }
        List<String> row = new ArrayList<>();
        for (String h : HEADER) {
            row.add(values.getOrDefault(h, ""));
        }
        return row;
    }

    /** A valid TAX_REGISTRATION row of batch B-1 with some values replaced. */
    static List<String> registration(String... overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("batch_id", "B-1");
        v.put("request_message_id", "4d75c259-7658-40f0-bce6-4095b9c72029");
        v.put("requester", "MOIT.DMS");
        v.put("created_at", "2026-11-19T16:10:00+07:00");
        v.put("status", "COMPLETE");
        v.put("ask", "TAX_REGISTRATION");
        v.put("subject_kind", "organization");
        v.put("subject_name", "Công ty TNHH Linh Khải");
        v.put("subject_tax_code", "0105123457");
        v.put("found", "true");
        v.put("registration_status", "ACTIVE");
        for (int i = 0; i < overrides.length; i += 2) {
            v.put(overrides[i], overrides[i + 1]);
        }
        return row(v);
    }

    /** One CSV line (RFC 4180 quoting where needed) with the given line ending. */
    static String line(List<String> fields, String eol) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            s.append(i == 0 ? "" : ",");
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                s.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                s.append(f);
            }
        }
        return s.append(eol).toString();
    }

    /** A whole file: header, rows, trailer over the data rows' bytes. */
    static byte[] file(List<List<String>> rows, String eol) {
        StringBuilder data = new StringBuilder();
        for (List<String> r : rows) {
            data.append(line(r, eol));
        }
        return withTrailer(line(HEADER, eol).getBytes(StandardCharsets.UTF_8),
                data.toString().getBytes(StandardCharsets.UTF_8), rows.size(), eol);
    }

    /** Header bytes + data bytes + a trailer that matches them (unless count says otherwise). */
    static byte[] withTrailer(byte[] header, byte[] data, long count, String eol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(("#TRAILER," + count + "," + sha256(data) + eol).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = TaxFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
