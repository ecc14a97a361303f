package io.sluice.demoapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UserGeneratorTest {

    /** Every leaf randomuser.me 1.4 returns for a user, as JSON pointers. */
    static final List<String> USER_FIELDS = List.of(
            "/gender", "/name/title", "/name/first", "/name/last",
            "/location/street/number", "/location/street/name", "/location/city", "/location/state",
            "/location/country", "/location/postcode", "/location/coordinates/latitude",
            "/location/coordinates/longitude", "/location/timezone/offset", "/location/timezone/description",
            "/email", "/login/uuid", "/login/username", "/login/password", "/login/salt", "/login/md5",
            "/login/sha1", "/login/sha256", "/dob/date", "/dob/age", "/registered/date", "/registered/age",
            "/phone", "/cell", "/id/name", "/id/value", "/picture/large", "/picture/medium",
            "/picture/thumbnail", "/nat");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void sameSeedAndIndexGiveTheSameUserFromAnyInstanceInAnyOrder() {
        UserGenerator first = new UserGenerator("demo");
        UserGenerator second = new UserGenerator("demo");

        String user7 = first.userJson(7);
        second.userJson(3);
        second.userJson(1000);

        assertThat(second.userJson(7)).as("user 7 of seed 'demo' must not depend on instance or call order")
                .isEqualTo(user7);
    }

    @Test
    void differentSeedsGiveDifferentUsers() {
        assertThat(new UserGenerator("a").userJson(0)).isNotEqualTo(new UserGenerator("b").userJson(0));
        assertThat(new UserGenerator("a").uuid(0)).isNotEqualTo(new UserGenerator("b").uuid(0));
    }

    @Test
    void uuidIsTheNameBasedUuidOfSeedAndIndex() {
        UUID expected = UUID.nameUUIDFromBytes("42:5".getBytes(StandardCharsets.UTF_8));

        assertThat(new UserGenerator("42").user(5).at("/login/uuid").asText()).isEqualTo(expected.toString());
    }

    @Test
    void distinctIndexesGiveDistinctUuids() {
        UserGenerator generator = new UserGenerator("42");
        Set<String> uuids = new HashSet<>();
        IntStream.range(0, 20_000).forEach(i -> uuids.add(generator.uuid(i).toString()));

        assertThat(uuids).as("20,000 users should have 20,000 distinct uuids").hasSize(20_000);
    }

    @Test
    void everyUserHasEveryFieldOfRandomUserDotMe() {
        UserGenerator generator = new UserGenerator("shape");
        for (int index = 0; index < 500; index++) {
            ObjectNode user = generator.user(index);
            for (String field : USER_FIELDS) {
                JsonNode value = user.at(field);
                assertThat(value.isMissingNode() || value.isNull())
                        .as("user %d must have a value at %s: %s", index, field, user).isFalse();
                assertThat(value.isValueNode()).as("%s must be a scalar", field).isTrue();
            }
            assertThat(user.fieldNames()).toIterable().as("user %d has randomuser.me's top-level fields, in order", index)
                    .containsExactly("gender", "name", "location", "email", "login", "dob", "registered",
                            "phone", "cell", "id", "picture", "nat");
        }
    }

    @Test
    void fieldsHaveRandomUserDotMeTypesAndFormats() {
        UserGenerator generator = new UserGenerator("formats");
        for (int index = 0; index < 300; index++) {
            ObjectNode user = generator.user(index);
            assertThat(user.at("/gender").asText()).isIn("male", "female");
            assertThat(user.at("/location/street/number").isInt()).isTrue();
            assertThat(user.at("/location/postcode").isInt() || user.at("/location/postcode").isTextual()).isTrue();
            assertThat(user.at("/location/coordinates/latitude").isTextual()).isTrue();
            assertThat(user.at("/dob/date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(Instant.parse(user.at("/registered/date").asText())).isBefore(UserGenerator.AGE_REFERENCE);
            assertThat(user.at("/dob/age").asInt()).isBetween(18, 78);
            assertThat(user.at("/email").asText()).contains("@");
            assertThat(user.at("/nat").asText()).hasSize(2);
        }
    }

    @Test
    void hashesAreOfPasswordPlusSaltLikeRandomUserDotMe() throws Exception {
        JsonNode login = new UserGenerator("42").user(0).get("login");
        byte[] salted = (login.get("password").asText() + login.get("salt").asText()).getBytes(StandardCharsets.UTF_8);

        assertThat(login.get("md5").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(salted)));
        assertThat(login.get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(salted)));
    }

    @Test
    void responseHasResultsAndInfoInVersionOnePointFourShape() throws Exception {
        UserGenerator generator = new UserGenerator("page");
        JsonNode body = json.readTree(generator.toJson(generator.response(10, 5, 3, true)));

        assertThat(body.get("results")).hasSize(5);
        assertThat(body.get("results").get(0)).isEqualTo(generator.user(10));
        assertThat(body.get("info").toString()).isEqualTo("{\"seed\":\"page\",\"results\":5,\"page\":3,\"version\":\"1.4\"}");
    }

    @Test
    void negativeIndexIsRejected() {
        assertThatThrownBy(() -> new UserGenerator("42").user(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }
}
