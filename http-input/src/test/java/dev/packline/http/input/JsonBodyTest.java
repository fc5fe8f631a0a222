package dev.packline.http.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonBodyTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private final JsonBody json = new JsonBody(new JsonBody.Limits(4096, 8, 200));

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void anyBytesAreAValueOrARefusalNeverAnotherFailure(@ForAll("jsonish") byte[] body) {
        try {
            json.value(body);
        } catch (InputRefusedException e) {
            assertTrue(e.status() == 400 || e.status() == 413, e.toString());
            assertTrue(e.problems().getFirst().field().startsWith("body") || e.problems().getFirst().field().contains("["), e.toString());
        }
    }

    /** Bytes that look like JSON often enough to get past the first character: pieces of JSON and stray bytes, shuffled. */
    @Provide
    Arbitrary<byte[]> jsonish() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"k\"", "\"a\":1", "1", "-0", "1e999", "0.5", "true", "null", " ",
                        "\\u", "\\ud800", "\\udc00", "\\\"", "\u202e", "é", "\u0000", "\n", "01", "NaN", "/*", "'x'"),
                Arbitraries.strings().ofMaxLength(4));
        Arbitrary<byte[]> text = piece.list().ofMaxSize(40).map(parts -> String.join("", parts).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(text, Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void anythingAfterTheValueIsRefused(@ForAll("trailers") String trailer) {
        InputRefusedException e = assertThrows(InputRefusedException.class, () -> json.value(("{\"a\": 1}" + trailer).getBytes(StandardCharsets.UTF_8)));
        assertEquals("body", e.problems().getFirst().field());
    }

    @Provide
    Arbitrary<String> trailers() {
        Arbitrary<String> value = Arbitraries.of("{}", "[]", "1", "\"x\"", "x", "null", "}", ",", "{\"a\": 2}");
        return Arbitraries.strings().whitespace().ofMaxLength(3).flatMap(space -> value.map(v -> space + v));
    }

    @Property(seed = Fuzz.SEED, tries = 200)
    void nestingBeyondTheLimitIsRefusedAndWithinItRead(@ForAll @IntRange(min = 1, max = 40) int depth) {
        byte[] body = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
        if (depth <= 8) {
            assertTrue(json.value(body).isArray());
        } else {
            InputRefusedException e = assertThrows(InputRefusedException.class, () -> json.value(body));
            assertTrue(e.getMessage().contains("depth"), e.getMessage());
        }
    }

    @Property(seed = Fuzz.SEED, tries = Fuzz.TRIES)
    void wellFormedObjectsReadAsTheyWereWritten(@ForAll("objects") ObjectNode object) throws Exception {
        assertEquals(object, json.object(PLAIN.writeValueAsBytes(object)));
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter(s -> StrictUtf8.loneSurrogateAt(s) < 0);
        Arbitrary<String> values = Arbitraries.strings().ofMaxLength(30).filter(s -> StrictUtf8.loneSurrogateAt(s) < 0);
        return Arbitraries.maps(names, values).ofMaxSize(8).map(m -> {
            ObjectNode node = PLAIN.createObjectNode();
            m.forEach(node::put);
            return node;
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            duplicate key             | {"a": 1, "a": 2}                | body        | Duplicate field 'a'
            duplicate nested key      | {"x": {"b": 1, "b": 1}}         | body        | Duplicate field 'b'
            lone high surrogate       | {"x": ["ok", "a\\ud800"]}       | x[1]        | surrogate
            lone low surrogate in key | {"x": {"\\udc00": 1}}           | x           | surrogate
            comment                   | {"a": 1 /* hi */}               | body        | malformed JSON
            single quotes             | {'a': 1}                        | body        | malformed JSON
            NaN                       | {"a": NaN}                      | body        | malformed JSON
            leading zero              | {"a": 01}                       | body        | malformed JSON
            number too long           | {"a": 1234567890123456789012345} | body       | limit
            string too long           | {"a": "%s"}                     | body        | limit
            empty                     | `   `                           | body        | empty
            not an object             | [1]                             | body        | must be a JSON object
            """)
    void refusalsNameTheFieldAndTheProblem(String name, String body, String field, String messagePart) {
        byte[] bytes = body.replace("%s", "s".repeat(201)).getBytes(StandardCharsets.UTF_8);
        InputRefusedException e = assertThrows(InputRefusedException.class, () -> json.object(bytes));
        assertEquals(field, e.problems().getFirst().field(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a string where a number belongs | {"n": "5"}   | n | must be a whole number
            a fraction                      | {"n": 1.5}   | n | must be a whole number
            an exponent                     | {"n": 1e3}   | n | must be a whole number
            out of range                    | {"n": 1000}  | n | from 0 to 100
            a number where a string belongs | {"s": 5}     | s | must be a string
            a list item not a string        | {"l": ["a", 2]} | l[1] | must be a string
            unknown field                   | {"q": 1}     | q | unknown field
            """)
    void fieldsOfTheWrongTypeAreEachNamed(String name, String body, String field, String messagePart) {
        ObjectNode root = json.object(body.getBytes(StandardCharsets.UTF_8));
        List<InputProblem> problems = new ArrayList<>();
        JsonFields fields = new JsonFields(root, problems).only(java.util.Set.of("n", "s", "l"));
        fields.wholeNumber("n", 0, 100, -1);
        fields.text("s");
        fields.texts("l");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(field, problems.getFirst().field());
        assertTrue(problems.getFirst().message().contains(messagePart), problems.toString());
    }

    @org.junit.jupiter.api.Test
    void aBodyOverTheLimitIs413() {
        InputRefusedException e = assertThrows(InputRefusedException.class, () -> json.value(new byte[4097]));
        assertEquals(413, e.status());
        assertEquals(ProblemKind.BODY_TOO_LARGE, e.kind());
    }

    @org.junit.jupiter.api.Test
    void nestedFieldsAreNamedByTheirPath() {
        JsonNode root = json.object("{\"c\": {\"extra\": {\"k\": 1}}}".getBytes(StandardCharsets.UTF_8));
        List<InputProblem> problems = new ArrayList<>();
        JsonFields extra = new JsonFields((ObjectNode) root, problems).object("c").object("extra");
        extra.text("k");
        assertEquals("c.extra.k", problems.getFirst().field());
    }
}
