package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.TestRedis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One run of {@code bin/packline admin} in-process against the test Redis: exit code, stdout, stderr. */
record AdminRun(int exit, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    JsonNode json() throws Exception {
        return JSON.readTree(out);
    }

    static AdminRun admin(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--redis", TestRedis.url()));
        argv.addAll(Arrays.asList(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null, false, Clock.systemUTC());
        return new AdminRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
