package io.sluice.demoapi;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What randomuser.me varies by nationality: country, places, name pools, and the formats of
 * postcode, phone number and national id. The embedded data is small on purpose — enough for
 * plausible-looking demo rows, not a census.
 */
record Nationality(
        String code,
        String country,
        List<City> cities,
        List<String> maleFirstNames,
        List<String> femaleFirstNames,
        List<String> lastNames,
        List<String> streetNames,
        String postcodePattern,
        boolean numericPostcode,
        String phonePattern,
        String idName,
        String idPattern) {

    /** A city and the state (or region, province, county) it belongs to. */
    record City(String name, String state) {
    }

    /**
     * Fills a pattern: {@code #} becomes a digit, {@code A} an upper-case letter; anything else is
     * copied as is.
     */
    static String fill(String pattern, SplittableRandom random) {
        StringBuilder out = new StringBuilder(pattern.length());
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '#' -> out.append((char) ('0' + random.nextInt(10)));
                case 'A' -> out.append((char) ('A' + random.nextInt(26)));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** randomuser.me sends numeric postcodes as JSON numbers and the others as strings. */
    Object postcode(SplittableRandom random) {
        String filled = fill(postcodePattern, random);
        // A leading zero would be lost in a JSON number, so numeric codes start at 1.
        if (numericPostcode) {
            return Integer.parseInt(filled.charAt(0) == '0' ? "1" + filled.substring(1) : filled);
        }
        return filled;
    }
}
