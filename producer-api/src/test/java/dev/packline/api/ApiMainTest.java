package dev.packline.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line's answers that do not start a server: help, bad arguments, bad configuration. */
class ApiMainTest {
    @Test
    void helpAndBadArgumentsAnswerWithoutStarting() {
        assertEquals(0, ApiMain.run(new String[]{"--help"}));
        assertEquals(2, ApiMain.run(new String[]{"--port", "eighty"}));
        assertEquals(2, ApiMain.run(new String[]{"--port"}));
        assertEquals(2, ApiMain.run(new String[]{"--colour"}));
        assertEquals(2, ApiMain.run(new String[]{"--config", "no-such-file.yml"}));
    }
}
