package dev.packline.console;

import dev.packline.console.auth.PasswordHashes;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code bin/packline console hash-password}: reads a password (typed without echo on a terminal,
 * or one line of standard input) and prints its bcrypt hash for an account's {@code passwordHash}.
 * The password is never taken as an argument, where it would land in the shell's history.
 */
final class HashPasswordCommand {
    static final String USAGE = """
            Usage: bin/packline console hash-password
              Reads a password (asked for on a terminal, else one line of standard input) and prints its bcrypt hash
              for accounts.NAME.passwordHash in config/console.yml. Example: echo 'secret' | bin/packline console hash-password""";

    private HashPasswordCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 1) {
            if (args[1].equals("--help") || args[1].equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            err.println("console hash-password: unknown argument '" + args[1] + "' (the password is read, never given as an argument)");
            err.println(USAGE);
            return 2;
        }
        char[] password;
        Console terminal = System.console();
        if (terminal != null && in == System.in) {
            password = terminal.readPassword("Password: ");
        } else {
            try {
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            } catch (IOException e) {
                err.println("console hash-password: could not read the password: " + e.getMessage());
                return 1;
            }
        }
        try {
            out.println(PasswordHashes.hash(password));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("console hash-password: " + e.getMessage());
            return 2;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
