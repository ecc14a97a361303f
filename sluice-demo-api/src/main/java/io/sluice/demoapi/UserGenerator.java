package io.sluice.demoapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates randomuser.me-shaped users. User {@code index} of a seed is a pure function of
 * {@code (seed, index)}: nothing is cached or shared between calls, so any transport can produce
 * any user in any order and get the same bytes. That is what lets a consumer resume a stream (or
 * replay it into an upserting store) and see the same records again.
 *
 * <p>Thread-safe: instances are immutable.
 */
public final class UserGenerator {

    /** randomuser.me caps {@code results} at this many users per request. */
    public static final int MAX_RESULTS = 5000;

    /** The API version this generator imitates; goes into {@code info.version}. */
    public static final String VERSION = "1.4";

    /**
     * Ages are computed against this fixed instant, not the wall clock, so a user's {@code age}
     * does not change when the calendar does — a replayed record must be byte-identical.
     */
    static final Instant AGE_REFERENCE = Instant.parse("2025-01-01T00:00:00Z");

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final List<String[]> TIMEZONES = List.of(
            new String[] {"-10:00", "Hawaii"},
            new String[] {"-8:00", "Pacific Time (US & Canada)"},
            new String[] {"-5:00", "Eastern Time (US & Canada), Bogota, Lima"},
            new String[] {"-3:30", "Newfoundland"},
            new String[] {"-3:00", "Brazil, Buenos Aires, Georgetown"},
            new String[] {"0:00", "Western Europe Time, London, Lisbon, Casablanca"},
            new String[] {"+1:00", "Brussels, Copenhagen, Madrid, Paris"},
            new String[] {"+2:00", "Kaliningrad, South Africa"},
            new String[] {"+3:00", "Baghdad, Riyadh, Moscow, St. Petersburg"},
            new String[] {"+5:30", "Bombay, Calcutta, Madras, New Delhi"},
            new String[] {"+7:00", "Bangkok, Hanoi, Jakarta"},
            new String[] {"+8:00", "Beijing, Perth, Singapore, Hong Kong"},
            new String[] {"+9:30", "Adelaide, Darwin"},
            new String[] {"+10:00", "Eastern Australia, Guam, Vladivostok"},
            new String[] {"+12:00", "Auckland, Wellington, Fiji, Kamchatka"});

    private static final List<String> PASSWORDS = List.of(
            "sunshine", "dragon", "letmein", "monkey", "shadow", "master", "qwerty", "trustno1", "hunter",
            "buster", "soccer", "harley", "ranger", "tigger", "cookie", "pepper", "summer", "ginger",
            "banana", "chelsea", "yankees", "mustang", "phoenix", "scooter", "warrior", "xxxxxx");

    private static final List<String> USERNAME_ADJECTIVES = List.of(
            "happy", "silver", "brown", "lazy", "tiny", "crazy", "purple", "golden", "angry", "heavy",
            "blue", "orange", "red", "beautiful", "sad", "yellow", "black", "white", "green", "organic");

    private static final List<String> USERNAME_NOUNS = List.of(
            "bird", "cat", "dog", "fish", "goose", "koala", "lion", "leopard", "panda", "peacock",
            "rabbit", "snake", "swan", "tiger", "wolf", "zebra", "butterfly", "ladybug", "elephant", "gorilla");

    private static final String SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final ObjectMapper json = new ObjectMapper();
    private final String seed;

    /** @param seed any non-null string, as randomuser.me's {@code seed} parameter accepts. */
    public UserGenerator(String seed) {
        this.seed = Objects.requireNonNull(seed, "seed");
    }

    public String seed() {
        return seed;
    }

    /** The stable identity of user {@code index}: a name-based (v3) UUID of "seed:index". */
    public UUID uuid(long index) {
        return UUID.nameUUIDFromBytes(identity(index).getBytes(StandardCharsets.UTF_8));
    }

    /** User {@code index} of this seed as a JSON tree, fields in randomuser.me's order. */
    public ObjectNode user(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("user index must be >= 0, got " + index);
        }
        SplittableRandom random = new SplittableRandom(mix(index));
        Nationality nat = pick(Nationalities.ALL, random);
        boolean male = random.nextBoolean();
        String first = pick(male ? nat.maleFirstNames() : nat.femaleFirstNames(), random);
        String last = pick(nat.lastNames(), random);

        ObjectNode user = json.createObjectNode();
        user.put("gender", male ? "male" : "female");
        ObjectNode name = user.putObject("name");
        name.put("title", male ? "Mr" : pick(List.of("Ms", "Mrs", "Miss"), random));
        name.put("first", first);
        name.put("last", last);
        putLocation(user.putObject("location"), nat, random);
        user.put("email", emailOf(first, last));
        putLogin(user.putObject("login"), index, random);
        putDated(user.putObject("dob"), AGE_REFERENCE.minus(days(random, 18 * 365, 78 * 365)));
        putDated(user.putObject("registered"), AGE_REFERENCE.minus(days(random, 30, 20 * 365)));
        user.put("phone", Nationality.fill(nat.phonePattern(), random));
        user.put("cell", Nationality.fill(nat.phonePattern(), random));
        ObjectNode id = user.putObject("id");
        id.put("name", nat.idName());
        id.put("value", Nationality.fill(nat.idPattern(), random));
        putPicture(user.putObject("picture"), male, random.nextInt(100));
        user.put("nat", nat.code());
        return user;
    }

    /** User {@code index} serialised as compact JSON, the form every transport sends. */
    public String userJson(long index) {
        return toJson(user(index));
    }

    /**
     * A full randomuser.me response body for users {@code first .. first+count-1}.
     *
     * @param page the value reported in {@code info.page}
     */
    public ObjectNode response(long first, int count, long page, boolean includeInfo) {
        ObjectNode body = json.createObjectNode();
        var results = body.putArray("results");
        for (int i = 0; i < count; i++) {
            results.add(user(first + i));
        }
        if (includeInfo) {
            ObjectNode info = body.putObject("info");
            info.put("seed", seed);
            info.put("results", count);
            info.put("page", page);
            info.put("version", VERSION);
        }
        return body;
    }

    String toJson(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree built in memory failed to serialise", e);
        }
    }

    private void putLocation(ObjectNode location, Nationality nat, SplittableRandom random) {
        ObjectNode street = location.putObject("street");
        street.put("number", 1 + random.nextInt(9999));
        street.put("name", pick(nat.streetNames(), random));
        Nationality.City city = pick(nat.cities(), random);
        location.put("city", city.name());
        location.put("state", city.state());
        location.put("country", nat.country());
        Object postcode = nat.postcode(random);
        if (postcode instanceof Integer number) {
            location.put("postcode", number);
        } else {
            location.put("postcode", (String) postcode);
        }
        ObjectNode coordinates = location.putObject("coordinates");
        coordinates.put("latitude", String.format(Locale.ROOT, "%.4f", random.nextDouble(-90, 90)));
        coordinates.put("longitude", String.format(Locale.ROOT, "%.4f", random.nextDouble(-180, 180)));
        String[] zone = pick(TIMEZONES, random);
        ObjectNode timezone = location.putObject("timezone");
        timezone.put("offset", zone[0]);
        timezone.put("description", zone[1]);
    }

    private void putLogin(ObjectNode login, long index, SplittableRandom random) {
        String password = pick(PASSWORDS, random);
        StringBuilder salt = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            salt.append(SALT_ALPHABET.charAt(random.nextInt(SALT_ALPHABET.length())));
        }
        // Like randomuser.me, the hashes are of password + salt.
        String salted = password + salt;
        login.put("uuid", uuid(index).toString());
        login.put("username", pick(USERNAME_ADJECTIVES, random) + pick(USERNAME_NOUNS, random) + (100 + random.nextInt(900)));
        login.put("password", password);
        login.put("salt", salt.toString());
        login.put("md5", hash("MD5", salted));
        login.put("sha1", hash("SHA-1", salted));
        login.put("sha256", hash("SHA-256", salted));
    }

    private static void putDated(ObjectNode node, Instant date) {
        node.put("date", ISO_MILLIS.format(date));
        node.put("age", (int) ChronoUnit.YEARS.between(
                date.atOffset(ZoneOffset.UTC), AGE_REFERENCE.atOffset(ZoneOffset.UTC)));
    }

    private static void putPicture(ObjectNode picture, boolean male, int number) {
        String folder = male ? "men" : "women";
        picture.put("large", "https://randomuser.me/api/portraits/" + folder + "/" + number + ".jpg");
        picture.put("medium", "https://randomuser.me/api/portraits/med/" + folder + "/" + number + ".jpg");
        picture.put("thumbnail", "https://randomuser.me/api/portraits/thumb/" + folder + "/" + number + ".jpg");
    }

    private static String emailOf(String first, String last) {
        String local = (first + "." + last).toLowerCase(Locale.ROOT).replace(" ", "");
        return local + "@example.com";
    }

    /** A random duration of whole milliseconds between {@code minDays} and {@code maxDays}. */
    private static java.time.Duration days(SplittableRandom random, long minDays, long maxDays) {
        long millisPerDay = 86_400_000L;
        return java.time.Duration.ofMillis(random.nextLong(minDays * millisPerDay, maxDays * millisPerDay));
    }

    private String identity(long index) {
        return seed + ":" + index;
    }

    /**
     * Seeds the per-user random source from a digest of (seed, index), so that neighbouring
     * indexes get unrelated users and the result never depends on JVM or call order.
     */
    private long mix(long index) {
        byte[] digest = digest("SHA-256", identity(index).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }

    private static <T> T pick(List<T> options, SplittableRandom random) {
        return options.get(random.nextInt(options.size()));
    }

    private static String hash(String algorithm, String text) {
        return HexFormat.of().formatHex(digest(algorithm, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide " + algorithm, e);
        }
    }
}
