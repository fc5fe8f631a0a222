package dev.packline.http.input;

import io.helidon.common.uri.UriQuery;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RequestFields} splits the raw query itself, once, instead of asking the web server, which
 * builds a decoded and a raw map of every parameter per request: its split must be the server's.
 */
class RequestFieldsQueryTest {

    @Test
    void theQueryIsSplitAsTheWebServerSplitsIt() {
        for (String query : List.of("", "a=1", "a=1&b=2", "a=1&a=2&a=3", "a", "a&b=", "a=&b", "a=1&&b=2", "&", "a=1&", "=x", "a==b&c=d=e",
                "deploymentKey=dk_1&platform=android&clientVersion=100&clientId=c42&brand=huawei&channel=%E5%8D%8E%E4%B8%BA",
                "name=a+b&x=%20", "a%3D=1&a=2")) {
            UriQuery server = UriQuery.create(query);
            java.util.Set<String> names = new java.util.HashSet<>(server.names());
            names.addAll(List.of("absent", "a", "b", "c", "x", "name", "channel", "a%3D"));
            for (String name : names) {
                if (name.isEmpty() || name.indexOf('%') >= 0 || name.indexOf('+') >= 0 || name.indexOf(' ') >= 0 || name.indexOf('=') >= 0) {
                    continue; // no field has such a name
                }
                List<String> serverAnswer = server.contains(name) ? server.getAllRaw(name) : null;
                assertEquals(serverAnswer, RequestFields.rawValues(query, name), "'" + query + "', parameter '" + name + "'");
            }
        }
    }

    @Test
    void namesWrittenWithAnEscapeAreFoundByTheirDecodedName() {
        assertEquals(List.of("x"), RequestFields.rawValues("clientI%64=x", "clientId"));
        assertEquals(List.of("1", "%41"), RequestFields.rawValues("%63hannel=1&channel=%41", "channel"), "written both ways: given twice");
        assertEquals(List.of("2"), RequestFields.rawValues("a%3D=1&a=2", "a"), "'a%3D' is 'a=', not 'a'");
        assertEquals(List.of(), RequestFields.rawValues("x=1&%61", "a"), "a name without a value");
        assertEquals(null, RequestFields.rawValues("clientI%6=x&%zz=1", "clientId"), "a malformed escape names no field");
        assertEquals(List.of("y"), RequestFields.rawValues("client+id=y", "client id"));
    }

    @Test
    void plainAsciiValuesAreTheTextDecodingGives() {
        for (String raw : List.of("huawei", "android", "2.4.1", "a b", "~!*()'._-", "x".repeat(300), "")) {
            assertTrue(RequestFields.plainAscii(raw), raw);
            assertEquals(StrictUtf8.decode(PercentDecoding.decode(raw, "f", PercentDecoding.Unescaped.BYTES), "f"), raw);
        }
        for (String raw : List.of("a+b", "%41", "a\u0007b", "caf\u00e9", "\u4e2d", "tab\tx", "a\u007f")) {
            assertTrue(!RequestFields.plainAscii(raw), raw);
        }
    }
}
