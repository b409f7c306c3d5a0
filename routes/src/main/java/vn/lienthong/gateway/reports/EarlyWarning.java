package vn.lienthong.gateway.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import vn.lienthong.schemas.ValidatorSettings;

/**
 * The early warning, from what the gateway already carries: accepted {@code violation.notice}s
 * counted by ISO week × province × goods category × platform; hotspots (cells whose count this week
 * reaches the threshold and rose by the factor over the week before); and the websites, shops and
 * listings named in notices and takedowns, deduplicated by URL and by platform shop id, with how
 * often and by whom. Only codes, categories, platform names, URLs and shop ids leave: no subject,
 * no person, no identifier of a person.
 */
public final class EarlyWarning {

    private vn.lienthong.gateway.atrest.BodyCipher cipher = vn.lienthong.gateway.atrest.BodyCipher.CLEAR;

    /** Opens the sealed bodies it reads with {@code cipher} (bodies at rest); returns this. */
    public EarlyWarning withCipher(vn.lienthong.gateway.atrest.BodyCipher cipher) {
        this.cipher = java.util.Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    /** The tables the early warning downloads as. */
    public static final List<String> TABLES = List.of("cells", "hotspots", "sites");
    /** A notice that names no goods, or no platform. */
    static final String NONE = "NONE";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final ReportSettings.Warning settings;
    private final InstantSource clock;

    /** The early warning over the journal in {@code dataSource}. */
    public EarlyWarning(DataSource dataSource, ReportSettings.Warning settings, InstantSource clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The settings in force. */
    public ReportSettings.Warning settings() {
        return settings;
    }

    /** A cell: notices of one week, province, goods category and platform. */
    public record Cell(String week, String province, String goods, String platform, int count) {
    }

    /** A hotspot: a cell of the week that reached the threshold and rose ({@code previous} the week before). */
    public record Hotspot(String province, String goods, String platform, int count, int previous) {
    }

    /**
     * A website, shop or listing named in notices or takedowns.
     *
     * @param kind LISTING (a URL), SHOP (a shop URL, or platform and shop id)
     * @param key the URL as compared (host lower case, no fragment, no trailing slash), or {@code platform/shopId}
     * @param mentions how many messages named it
     * @param by the agencies that named it
     */
    public record Site(String kind, String key, String platform, int mentions, List<String> by, OffsetDateTime firstSeen,
            OffsetDateTime lastSeen) {
    }

    /**
     * The early warning of an ISO week (e.g. {@code 2026-W49}): the notices accepted in it, the cells
     * over the weeks looked back, its hotspots, and the sites named over those weeks.
     */
    public record View(String week, LocalDate from, LocalDate to, int notices, List<Cell> cells,
            List<Hotspot> hotspots, List<Site> sites) {
    }

    /** The view of the current week (Việt Nam time). */
    public View view() {
        return view(clock.instant().atZone(ValidatorSettings.VIETNAM).toLocalDate());
    }

    /** The view of the ISO week that holds {@code day}. */
    public View view(LocalDate day) {
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate start = monday.minusWeeks(settings.weeks() - 1L);
        LocalDate end = monday.plusDays(7);
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, SiteAcc> sites = new TreeMap<>();
        String thisWeek = week(monday);
        int notices = 0;
        String sql = "select type, sender, received_at, canonical from message where type in"
                + " ('violation.notice', 'takedown.request', 'takedown.report') and received_at >= ? and received_at < ?"
                + " order by seq";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, start.atStartOfDay(ValidatorSettings.VIETNAM).toOffsetDateTime());
            ps.setObject(2, end.atStartOfDay(ValidatorSettings.VIETNAM).toOffsetDateTime());
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    String sender = rs.getString(2);
                    OffsetDateTime at = rs.getObject(3, OffsetDateTime.class);
                    byte[] opened = cipher.openUnlessPurged(rs.getBytes(4));
                    if (opened == null) {
                        continue; // a body purged by retention
                    }
                    JsonNode payload = JSON.readTree(opened).path("payload");
                    String platform = payload.path("platform").path("name").asText(NONE);
                    if (type.equals("violation.notice")) {
                        String week = week(at.atZoneSameInstant(ValidatorSettings.VIETNAM).toLocalDate());
                        notices += week.equals(thisWeek) ? 1 : 0;
                        String province = payload.path("province").path("code").asText(NONE);
                        Set<String> goods = new TreeSet<>();
                        payload.path("goods").forEach(g -> goods.add(g.path("category").asText(NONE)));
                        if (goods.isEmpty()) {
                            goods.add(NONE);
                        }
                        for (String g : goods) {
                            counts.computeIfAbsent(String.join("|", week, province, g, platform), k -> new int[1])[0]++;
                        }
                    }
                    Set<String> named = new LinkedHashSet<>();
                    collect(payload, platform, named);
                    for (String site : named) {
                        String[] parts = site.split("\t", 3);
                        sites.computeIfAbsent(parts[0] + "\t" + parts[1], k -> new SiteAcc(parts[0], parts[1], parts[2]))
                                .add(sender, at);
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the early warning could not read the journal", e);
        }
        List<Cell> cells = new ArrayList<>();
        counts.forEach((k, v) -> {
            String[] p = k.split("\\|", 4);
            cells.add(new Cell(p[0], p[1], p[2], p[3], v[0]));
        });
        String lastWeek = week(monday.minusWeeks(1));
        List<Hotspot> hotspots = new ArrayList<>();
        for (Cell cell : cells) {
            if (!cell.week().equals(thisWeek) || cell.count() < settings.minCount()) {
                continue;
            }
            int previous = cells.stream().filter(o -> o.week().equals(lastWeek) && o.province().equals(cell.province())
                    && o.goods().equals(cell.goods()) && o.platform().equals(cell.platform()))
                    .mapToInt(Cell::count).sum();
            if (cell.count() >= settings.riseFactor() * previous) {
                hotspots.add(new Hotspot(cell.province(), cell.goods(), cell.platform(), cell.count(), previous));
            }
        }
        hotspots.sort(Comparator.comparingInt(Hotspot::count).reversed().thenComparing(Hotspot::province));
        List<Site> siteList = new ArrayList<>();
        sites.values().forEach(s -> siteList.add(s.site()));
        siteList.sort(Comparator.comparingInt(Site::mentions).reversed().thenComparing(Site::key));
        return new View(thisWeek, monday, monday.plusDays(6), notices, cells, hotspots, siteList);
    }

    /** The ISO week of a day, e.g. {@code 2026-W49}. */
    public static String week(LocalDate day) {
        return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
                day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    // Listings and shops of notices and takedown requests, listings of takedown reports: "kind\tkey\tplatform".
    private static void collect(JsonNode payload, String platform, Set<String> into) {
        shop(payload.path("shop"), platform, into);
        for (JsonNode listing : payload.path("listings")) {
            url(listing.path("url").asText(null)).ifPresent(u -> into.add("LISTING\t" + u + "\t" + platform));
            shop(listing.path("shop"), platform, into);
        }
        for (JsonNode result : payload.path("results")) {
            url(result.path("url").asText(null)).ifPresent(u -> into.add("LISTING\t" + u + "\t" + platform));
        }
    }

    private static void shop(JsonNode shop, String platform, Set<String> into) {
        if (shop.isMissingNode() || shop.isNull()) {
            return;
        }
        String id = shop.path("platformShopId").asText(null);
        if (id != null) {
            into.add("SHOP\t" + platform.toLowerCase(Locale.ROOT) + "/" + id + "\t" + platform);
        } else {
            url(shop.path("url").asText(null)).ifPresent(u -> into.add("SHOP\t" + u + "\t" + platform));
        }
    }

    /** A URL as compared: scheme and host lower case, no fragment, no trailing slash; empty if not a URL. */
    static java.util.Optional<String> url(String raw) {
        if (raw == null || raw.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            URI u = new URI(raw.strip());
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return java.util.Optional.empty();
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
            return java.util.Optional.of(u.getScheme().toLowerCase(Locale.ROOT) + "://"
                    + u.getRawAuthority().toLowerCase(Locale.ROOT) + path + query);
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    /** The rows of a table, header first (for the downloads). */
    static List<List<Object>> table(View view, String table) {
        List<List<Object>> rows = new ArrayList<>();
        switch (table) {
            case "cells" -> {
                rows.add(List.of("week", "province", "goods", "platform", "notices"));
                view.cells().forEach(c -> rows.add(List.of(c.week(), c.province(), c.goods(), c.platform(), c.count())));
            }
            case "hotspots" -> {
                rows.add(List.of("week", "province", "goods", "platform", "notices", "previousWeek"));
                view.hotspots().forEach(h -> rows.add(List.of(view.week(), h.province(), h.goods(), h.platform(),
                        h.count(), h.previous())));
            }
            case "sites" -> {
                rows.add(List.of("kind", "key", "platform", "mentions", "by", "firstSeen", "lastSeen"));
                view.sites().forEach(s -> rows.add(List.of(s.kind(), s.key(), s.platform(), s.mentions(),
                        String.join(" ", s.by()), s.firstSeen().toString(), s.lastSeen().toString())));
            }
            default -> throw new IllegalArgumentException("table " + table + " is not one of " + TABLES);
        }
        return rows;
    }

    private static final class SiteAcc {
        final String kind;
        final String key;
        final String platform;
        int mentions;
        final Set<String> by = new TreeSet<>();
        OffsetDateTime first;
        OffsetDateTime last;

        SiteAcc(String kind, String key, String platform) {
            this.kind = kind;
            this.key = key;
            this.platform = platform;
        }

        void add(String sender, OffsetDateTime at) {
            mentions++;
            by.add(sender);
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }

        Site site() {
            return new Site(kind, key, platform, mentions, List.copyOf(by), first.withOffsetSameInstant(ZoneOffset.UTC),
                    last.withOffsetSameInstant(ZoneOffset.UTC));
        }
    }
}
