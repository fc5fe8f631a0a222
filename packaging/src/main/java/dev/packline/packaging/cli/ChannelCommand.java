package dev.packline.packaging.cli;

import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.ApkReport;
import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelBatch;
import dev.packline.packaging.ChannelFormat;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.OutputNames;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.SignatureReport;
import dev.packline.packaging.SignatureScheme;
import dev.packline.packaging.WrittenChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** {@code bin/packline channel inspect|write|read|verify|strip}: one method per subcommand. */
public final class ChannelCommand {
    static final String USAGE = """
            Usage: bin/packline channel COMMAND ...

              inspect APK        print package, versions, SDKs, label, signature schemes, signer
                                 certificate SHA-256, signing block offset/size, ZIP64, channel (JSON)
              write --apk IN.apk (--channels FILE | --channel NAME...) --out DIR
                    [--format walle|vasdolly|both] [--name-template T] [--extra k=v...] [--min-sdk N]
                                 write one verified channel APK per channel; one JSON line per output.
                                 --min-sdk N verifies mother and outputs for Android N and up, as
                                 apksigner's --min-sdk-version (default: the manifest's minSdk).
                                 Outputs never carry a v4 signature: a mother's .idsig covers only it
              read APK           print {"channel", "extra", "format"} (exit 10 when there is none)
              verify APK         verify signatures (apksig, .idsig beside it if any) and read the channel
              strip APK --out F  remove the channel, giving back the mother's exact bytes

            Channels file: UTF-8, one channel per line, '#' comments, optional "name<TAB>k=v,k=v".
            Name template placeholders: {package} {versionName} {versionCode} {channel} {label};
            default %s. Exit codes: docs/packaging.md.
            """.formatted(OutputNames.DEFAULT_TEMPLATE);
    static final int NO_CHANNEL = 10;

    private final Console console;

    ChannelCommand(Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(new ChannelCommand(Console.system()).run(List.of(args)));
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            console.out.print(USAGE);
            return args.isEmpty() ? PackagingException.Problem.INVALID_ARGUMENT.exitCode() : Console.OK;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help")) {
            console.out.print(USAGE);
            return Console.OK;
        }
        try {
            return switch (args.get(0)) {
                case "inspect" -> inspect(CommandLine.parse(rest, Set.of(), Set.of()));
                case "write" -> write(CommandLine.parse(rest, Set.of("apk", "channels", "channel", "out", "format",
                        "name-template", "extra", "min-sdk"), Set.of()));
                case "read" -> read(CommandLine.parse(rest, Set.of(), Set.of()));
                case "verify" -> verify(CommandLine.parse(rest, Set.of(), Set.of()));
                case "strip" -> strip(CommandLine.parse(rest, Set.of("out"), Set.of()));
                default -> throw CommandLine.invalid("unknown channel command '" + args.get(0)
                        + "'; expected inspect, write, read, verify or strip");
            };
        } catch (PackagingException e) {
            return console.fail(e);
        } catch (RuntimeException e) {
            return console.crash(e);
        }
    }

    private int inspect(CommandLine line) throws PackagingException {
        ApkReport report = ApkInspector.inspect(Path.of(line.onePositional("APK")));
        Map<String, Object> json = Console.object();
        json.put("package", report.manifest().packageName());
        json.put("versionName", report.manifest().versionName());
        json.put("versionCode", report.manifest().versionCode());
        json.put("minSdk", report.manifest().minSdk());
        json.put("targetSdk", report.manifest().targetSdk());
        json.put("label", report.manifest().label());
        json.put("schemes", report.schemesPresent().stream().map(SignatureScheme::label).toList());
        json.put("signatureVerified", report.signatureVerified().orElse(null));
        json.put("signerCertificateSha256", report.signerCertificateSha256());
        if (!report.signatureErrors().isEmpty()) {
            json.put("signatureErrors", report.signatureErrors());
        }
        json.put("signingBlockOffset", report.signingBlockOffset().orElse(null));
        json.put("signingBlockSize", report.signingBlockSize().orElse(null));
        json.put("zip64", report.zip64());
        json.put("bytes", report.fileSize());
        json.put("channel", report.channel().map(ChannelCommand::channelJson).orElse(null));
        console.json(json);
        return Console.OK;
    }

    private int write(CommandLine line) throws PackagingException {
        line.noPositional();
        Path mother = Path.of(line.required("apk"));
        Path outputDirectory = Path.of(line.required("out"));
        ChannelFormat format = ChannelFormat.parse(line.value("format").orElse("walle"));
        String template = line.value("name-template").orElse(OutputNames.DEFAULT_TEMPLATE);
        Map<String, String> extras = ChannelListFile.parseExtras(line.values("extra"), "--extra");
        List<Channel> channels = channels(line, extras);
        OptionalInt minSdk = minSdk(line.value("min-sdk"));
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(format, minSdk))) {
            Optional<String> v4Note = writer.motherV4Signature().map(ChannelCommand::v4Note);
            Map<Channel, Path> outputs = OutputNames.plan(template, writer.manifest(), channels, outputDirectory, mother);
            createDirectory(outputDirectory);
            int[] exitCode = {Console.OK};
            ChannelBatch.write(writer, outputs, outcome -> {
                Map<String, Object> json = Console.object();
                json.put("channel", outcome.channel().name());
                if (outcome instanceof ChannelBatch.Written success) {
                    WrittenChannel written = success.written();
                    json.put("file", written.file().toString());
                    json.put("bytes", written.bytes());
                    json.put("sha256", written.sha256());
                    json.put("format", written.format().label());
                    json.put("verification", written.verification().label());
                    v4Note.ifPresent(note -> json.put("v4Signature", note));
                    console.json(json);
                } else if (outcome instanceof ChannelBatch.Failed failure) {
                    json.put("error", failure.error().getMessage());
                    console.json(json);
                    int code = console.fail(failure.error());
                    exitCode[0] = exitCode[0] == Console.OK ? code : exitCode[0];
                }
            });
            console.err.println("packline: " + outputs.size() + " channel APKs of " + mother.getFileName() + " written to "
                    + outputDirectory + (exitCode[0] == Console.OK ? "" : " (some failed, see above)")
                    + minSdk.stream().mapToObj(n -> ", verified for Android SDK " + n + " and up").findFirst().orElse("")
                    + v4Note.map(note -> "; " + note).orElse(""));
            return exitCode[0];
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot close " + mother + ": " + e.getMessage(), e);
        }
    }

    /** What a publisher whose mother had a v4 signature must know about the outputs. */
    private static String v4Note(Path idsig) {
        return "no v4 signature: " + idsig.getFileName() + " covers the mother's bytes only, not a channel APK's; "
                + "to install a channel APK with adb install --incremental, sign v4 for it with your key: "
                + "apksigner sign --ks KEYSTORE --v4-signing-enabled only CHANNEL.apk (writes CHANNEL.apk.idsig, leaves the APK unchanged)";
    }

    private static OptionalInt minSdk(Optional<String> value) throws PackagingException {
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int sdk = Integer.parseInt(value.get());
            if (sdk >= 1 && sdk <= 1000) {
                return OptionalInt.of(sdk);
            }
        } catch (NumberFormatException notANumber) {
            // the same message as out of range
        }
        throw CommandLine.invalid("--min-sdk takes an Android API level (a number such as 21 or 28), got '" + value.get() + "'");
    }

    private static List<Channel> channels(CommandLine line, Map<String, String> extras) throws PackagingException {
        Optional<String> file = line.value("channels");
        List<String> names = line.values("channel");
        if (file.isPresent() == !names.isEmpty()) {
            throw CommandLine.invalid("give the channels either with --channels FILE or with --channel NAME (one or more), not "
                    + (file.isPresent() ? "both" : "neither"));
        }
        if (file.isPresent()) {
            return ChannelListFile.read(Path.of(file.get()), extras);
        }
        List<Channel> channels = new ArrayList<>();
        for (String name : names) {
            channels.add(Channel.of(name, extras));
        }
        return channels;
    }

    private int read(CommandLine line) throws PackagingException {
        Optional<ChannelInfo> channel = ChannelReader.read(Path.of(line.onePositional("APK")));
        if (channel.isEmpty()) {
            console.err.println("packline: " + line.positional().get(0) + " carries no channel");
            return NO_CHANNEL;
        }
        console.json(channelJson(channel.get()));
        return Console.OK;
    }

    private int verify(CommandLine line) throws PackagingException {
        Path apk = Path.of(line.onePositional("APK"));
        SignatureReport report = ApkInspector.verify(apk);
        Map<String, Object> json = Console.object();
        json.put("verified", report.verified());
        json.put("schemes", report.schemes().stream().map(SignatureScheme::label).toList());
        json.put("signerCertificateSha256", report.signerCertificateSha256());
        json.put("errors", report.errors());
        json.put("channel", ChannelReader.read(apk).map(ChannelCommand::channelJson).orElse(null));
        console.json(json);
        if (!report.verified()) {
            console.err.println("packline: " + apk + " does not verify: " + String.join("; ", report.errors()));
            return PackagingException.Problem.VERIFICATION_FAILED.exitCode();
        }
        return Console.OK;
    }

    private int strip(CommandLine line) throws PackagingException {
        Path apk = Path.of(line.onePositional("APK"));
        Path output = Path.of(line.required("out"));
        if (output.toAbsolutePath().normalize().equals(apk.toAbsolutePath().normalize())) {
            throw CommandLine.invalid("--out must differ from the APK being stripped");
        }
        ChannelReader.Stripped stripped = ChannelReader.strip(apk, output);
        Map<String, Object> json = Console.object();
        json.put("file", stripped.file().toString());
        json.put("bytes", stripped.bytes());
        json.put("sha256", stripped.sha256());
        json.put("removed", stripped.removed().map(ChannelCommand::channelJson).orElse(null));
        console.json(json);
        return Console.OK;
    }

    static Map<String, Object> channelJson(ChannelInfo channel) {
        Map<String, Object> json = Console.object();
        json.put("channel", channel.name());
        json.put("extra", channel.extras());
        json.put("format", channel.format().label());
        return json;
    }

    private static void createDirectory(Path directory) throws PackagingException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot create output directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
