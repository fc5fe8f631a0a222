package dev.packline.packaging.internal.apk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelFormat;
import dev.packline.packaging.ChannelInfo;
import dev.packline.packaging.MalformedApkException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The channel's ID-value pairs in the signing block, in the two layouts client SDKs already read:
 * Walle (0x71777777, UTF-8 JSON object with "channel" and extra keys) and VasDolly (0x881155ff,
 * the raw UTF-8 name).
 */
public final class ChannelPairs {
    public static final Set<Integer> IDS = Set.of(SigningBlock.WALLE_ID, SigningBlock.VASDOLLY_ID);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChannelPairs() {
    }

    /** The pairs that carry {@code channel} in {@code format} (WALLE, VASDOLLY or BOTH). */
    public static List<SigningBlock.Pair> encode(Channel channel, ChannelFormat format) {
        List<SigningBlock.Pair> pairs = new ArrayList<>(2);
        if (format == ChannelFormat.WALLE || format == ChannelFormat.BOTH) {
            ObjectNode json = JSON.createObjectNode();
            json.put("channel", channel.name());
            channel.extras().forEach(json::put);
            try {
                pairs.add(new SigningBlock.Pair(SigningBlock.WALLE_ID, JSON.writeValueAsBytes(json)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a JSON object of strings", e);
            }
        }
        if (format == ChannelFormat.VASDOLLY || format == ChannelFormat.BOTH) {
            pairs.add(new SigningBlock.Pair(SigningBlock.VASDOLLY_ID, channel.name().getBytes(StandardCharsets.UTF_8)));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no signing block pairs for format " + format);
        }
        return pairs;
    }

    /**
     * The channel carried by {@code block}, if any. When both pairs are present the Walle one wins
     * (it carries the extras); pairs that are present but unreadable make the APK malformed.
     */
    public static Optional<ChannelInfo> decode(SigningBlock block) throws MalformedApkException {
        Optional<SigningBlock.Pair> walle = block.find(SigningBlock.WALLE_ID);
        Optional<SigningBlock.Pair> vasDolly = block.find(SigningBlock.VASDOLLY_ID);
        String vasDollyName = vasDolly.isPresent() ? utf8(vasDolly.get().value(), "VasDolly channel") : null;
        if (walle.isPresent()) {
            ChannelInfo info = decodeWalle(walle.get().value(), vasDolly.isPresent());
            if (vasDollyName != null && !vasDollyName.equals(info.name())) {
                throw new MalformedApkException("Walle channel '" + info.name() + "' and VasDolly channel '"
                        + vasDollyName + "' disagree");
            }
            return Optional.of(info);
        }
        if (vasDollyName != null) {
            return Optional.of(new ChannelInfo(vasDollyName, Map.of(), ChannelFormat.VASDOLLY));
        }
        return Optional.empty();
    }

    private static ChannelInfo decodeWalle(byte[] value, boolean alsoVasDolly) throws MalformedApkException {
        JsonNode json;
        try {
            json = JSON.readTree(utf8(value, "Walle channel"));
        } catch (JsonProcessingException e) {
            throw new MalformedApkException("Walle channel pair is not JSON", e);
        }
        if (json == null || !json.isObject() || !json.path("channel").isTextual()) {
            throw new MalformedApkException("Walle channel pair is not a JSON object with a \"channel\" string");
        }
        Map<String, String> extras = new LinkedHashMap<>();
        json.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("channel")) {
                extras.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
            }
        });
        return new ChannelInfo(json.get("channel").asText(), extras, alsoVasDolly ? ChannelFormat.BOTH : ChannelFormat.WALLE);
    }

    private static String utf8(byte[] bytes, String what) throws MalformedApkException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedApkException(what + " is not valid UTF-8", e);
        }
    }
}
