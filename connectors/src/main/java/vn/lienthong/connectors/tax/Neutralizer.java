package vn.lienthong.connectors.tax;

/**
 * CSV (formula) injection: a spreadsheet opening a CSV runs a cell starting with {@code = + - @}, a
 * tab or a carriage return as a formula. Every field lienthong writes that starts with one of those,
 * or with an apostrophe, gets one leading apostrophe (the OWASP advice); reading a text column drops
 * one leading apostrophe followed by one of those characters, so a value survives the round trip
 * exactly. Values read that start with a trigger character unprefixed are accepted as they are: the
 * canonical message is JSON, never evaluated, and every CSV lienthong writes neutralizes again.
 */
final class Neutralizer {

    private Neutralizer() {
    }

    /** The value as written to a CSV file. */
    static String neutralize(String value) {
        return !value.isEmpty() && escaped(value.charAt(0)) ? "'" + value : value;
    }

    /** The value of a text column as read from a CSV file. */
    static String restore(String value) {
        return value.length() >= 2 && value.charAt(0) == '\'' && escaped(value.charAt(1)) ? value.substring(1) : value;
    }

    private static boolean escaped(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
    }
}
