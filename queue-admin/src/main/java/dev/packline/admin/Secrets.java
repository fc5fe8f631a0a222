package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/** Masks what looks secret in a payload before an admin sees it: values of secret-named fields, and passwords inside URLs. */
final class Secrets {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|credential|access.?key|api.?key|signature|sign)$");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@/\\s]+@");
    static final String MASK = "***";

    private Secrets() {
    }

    static Object mask(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(payload);
            return mask(node);
        } catch (Exception notJson) {
            return URL_PASSWORD.matcher(payload).replaceAll("$1" + MASK + "@");
        }
    }

    private static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SECRET_NAME.matcher(field.getKey()).matches() && field.getValue().isValueNode()) {
                    field.setValue(TextNode.valueOf(MASK));
                } else {
                    field.setValue(mask(field.getValue()));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i)));
            }
        } else if (node.isTextual()) {
            return TextNode.valueOf(URL_PASSWORD.matcher(node.asText()).replaceAll("$1" + MASK + "@"));
        }
        return node;
    }
}
