package vn.lienthong.gateway.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A consolidation as downloads: CSV tables (UTF-8 with a byte order mark, so spreadsheet programs
 * read Vietnamese names right; RFC 4180 quoting) and one XLSX workbook with a sheet per table.
 */
public final class ReportExports {

    /** The tables a consolidation has. */
    public static final List<String> TABLES = List.of("parties", "categories", "goods");

    private ReportExports() {
    }

    /** The rows of a table, header first. */
    static List<List<Object>> table(Consolidation c, String table) {
        List<List<Object>> rows = new ArrayList<>();
        switch (table) {
            case "parties" -> {
                rows.add(header("party", "name", "province", "status", "receivedAt", "messageId", "reports"));
                for (Consolidation.Reported r : c.reported()) {
                    rows.add(row(List.of(r.code(), r.name(), nz(r.province()), r.onTime() ? "REPORTED" : "LATE",
                            r.receivedAt().toString(), r.messageId().toString(), r.reports()), r.totals()));
                }
                for (Consolidation.Party p : c.missing()) {
                    rows.add(row(List.of(p.code(), p.name(), nz(p.province()), c.pastDue() ? "MISSING" : "NOT_YET",
                            "", "", 0), null));
                }
                rows.add(row(List.of("TOTAL", c.period(), "", c.reported().size() + "/" + (c.reported().size()
                        + c.missing().size()), "", "", ""), c.totals()));
                rows.add(row(List.of("PREVIOUS", c.previousPeriod(), "", "", "", "", ""),
                        c.previousTotals()));
                List<Object> change = new ArrayList<>(List.of("CHANGE", "", "", "", "", "", ""));
                c.change().values().forEach(ch -> change.add(ch.difference()));
                rows.add(change);
            }
            case "categories" -> {
                rows.add(header("category"));
                c.byCategory().forEach((k, f) -> rows.add(row(List.of(k), f)));
            }
            case "goods" -> {
                rows.add(header("goods"));
                c.byGoods().forEach((k, f) -> rows.add(row(List.of(k), f)));
            }
            default -> throw new IllegalArgumentException("table " + table + " is not one of " + TABLES);
        }
        return rows;
    }

    /** One table as CSV. */
    public static byte[] csv(Consolidation c, String table) {
        return csv(table(c, table));
    }

    /** Rows as CSV. */
    static byte[] csv(List<List<Object>> rows) {
        StringBuilder out = new StringBuilder("\uFEFF");
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quote(row.get(i)));
            }
            out.append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The consolidation as an XLSX workbook: a summary sheet and one per table. */
    public static byte[] xlsx(Consolidation c) {
        Map<String, List<List<Object>>> sheets = new java.util.LinkedHashMap<>();
        for (String t : TABLES) {
            sheets.put(t, table(c, t));
        }
        return xlsx(sheets);
    }

    /** Sheets of rows as an XLSX workbook (numbers as numbers, headers bold). */
    static byte[] xlsx(Map<String, List<List<Object>>> sheets) {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle bold = book.createCellStyle();
            Font font = book.createFont();
            font.setBold(true);
            bold.setFont(font);
            for (Map.Entry<String, List<List<Object>>> e : sheets.entrySet()) {
                Sheet sheet = book.createSheet(e.getKey());
                int r = 0;
                for (List<Object> values : e.getValue()) {
                    Row row = sheet.createRow(r);
                    for (int i = 0; i < values.size(); i++) {
                        Cell cell = row.createCell(i);
                        Object v = values.get(i);
                        if (v instanceof Number n) {
                            cell.setCellValue(n.doubleValue());
                        } else {
                            cell.setCellValue(v == null ? "" : v.toString());
                        }
                        if (r == 0) {
                            cell.setCellStyle(bold);
                        }
                    }
                    r++;
                }
            }
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the workbook could not be written", e);
        }
    }

    private static List<Object> header(String... first) {
        List<Object> h = new ArrayList<>(List.of((Object[]) first));
        h.addAll(List.of((Object[]) Figures.NAMES));
        return h;
    }

    private static List<Object> row(List<Object> first, Figures f) {
        List<Object> row = new ArrayList<>(first);
        if (f != null) {
            for (long v : f.values()) {
                row.add(v);
            }
        } else {
            for (int i = 0; i < Figures.NAMES.length; i++) {
                row.add("");
            }
        }
        return row;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String quote(Object v) {
        String s = v == null ? "" : v.toString();
        // A leading =, +, - or @ would be a formula to a spreadsheet: quoted and prefixed so it stays text.
        if (!s.isEmpty() && "=+@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.startsWith("'")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
