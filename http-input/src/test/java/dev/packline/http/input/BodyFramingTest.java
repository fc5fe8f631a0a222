package dev.packline.http.input;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BodyFramingTest {

    /** Each row: Content-Length values (';' between repeats, '-' for none), Transfer-Encoding, Content-Encoding, then the verdict. */
    @ParameterizedTest(name = "CL={0} TE={1} CE={2}")
    @CsvSource(delimiter = '|', textBlock = """
            12      | -       | -        | 200 | -
            0       | -       | -        | 200 | -
            -       | chunked | -        | 200 | -
            -       | -       | identity | 200 | -
            -5      | -       | -        | 400 | Content-Length
            12x     | -       | -        | 400 | Content-Length
            +12     | -       | -        | 400 | Content-Length
            \u0661\u0662 | -  | -        | 400 | Content-Length
            1234567890123456 | - | -     | 400 | Content-Length
            2;3     | -       | -        | 400 | Content-Length
            2;2     | -       | -        | 400 | Content-Length
            5       | chunked | -        | 400 | Transfer-Encoding
            -       | gzip    | -        | 400 | Transfer-Encoding
            5       | -       | gzip     | 415 | Content-Encoding
            5       | -       | br       | 415 | Content-Encoding
            """)
    void framingIsTrustedOnlyWhenItCannotMislead(String lengths, String transfer, String encoding, int status, String field) {
        WritableHeaders<?> headers = WritableHeaders.create();
        if (!lengths.equals("-")) {
            for (String length : lengths.split(";")) {
                headers.add(HeaderNames.CONTENT_LENGTH, length);
            }
        }
        if (!transfer.equals("-")) {
            headers.add(HeaderNames.TRANSFER_ENCODING, transfer);
        }
        if (!encoding.equals("-")) {
            headers.add(HeaderNames.CONTENT_ENCODING, encoding);
        }
        BodyFraming.Verdict verdict = BodyFraming.check(headers);
        assertEquals(status, verdict.status(), verdict.toString());
        if (!field.equals("-")) {
            assertEquals(field, verdict.problems().getFirst().field());
        }
    }
}
