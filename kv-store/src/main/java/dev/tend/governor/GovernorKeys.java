package dev.tend.governor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tend.kv.InvalidNameException;
import dev.tend.kv.Names;
import dev.tend.kv.StoreException;
import dev.tend.units.Durations;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/** Where a governor lives in the store: its bucket's name, its keys, and the codec of its {@code config} key. */
final class GovernorKeys {

    static final String BUCKET_PREFIX = "GOVERNOR_";
    static final String CONFIG_KEY = "config";
    static final String SLOT_PREFIX = "slot.";
    static final String SLOT_FILTER = SLOT_PREFIX + ">";
    static final int MAX_NAME_LENGTH = Names.MAX_BUCKET_NAME_LENGTH - BUCKET_PREFIX.length();

    private static final JsonFactory JSON = new JsonFactory();

    private GovernorKeys() {
    }

    /** The bucket of governor {@code name}, after checking the name. */
    static String bucketName(String name) {
        checkName(name);
        return BUCKET_PREFIX + name;
    }

    static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException("a governor name is required");
        }
        if (name.length() > MAX_NAME_LENGTH || !Names.isValidBucketName(name)) {
            throw new InvalidNameException("invalid governor name \"" + name + "\": use only A-Z, a-z, 0-9, '-' and"
                    + " '_', at most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    /** The governor's name for a bucket name, or null when the bucket is not a governor's. */
    static String governorName(String bucket) {
        return bucket.startsWith(BUCKET_PREFIX) && bucket.length() > BUCKET_PREFIX.length()
                ? bucket.substring(BUCKET_PREFIX.length()) : null;
    }

    static String slotKey(int slot) {
        return SLOT_PREFIX + slot;
    }

    /** The slot number of a slot key, or 0 when the key is not one. */
    static int slotNumber(String key) {
        if (!key.startsWith(SLOT_PREFIX)) {
            return 0;
        }
        String digits = key.substring(SLOT_PREFIX.length());
        if (digits.isEmpty() || digits.length() > 9 || digits.charAt(0) == '0') {
            return 0;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return 0;
            }
        }
        return Integer.parseInt(digits);
    }

    /** {@code {"capacity":2,"expire":"5m0s"}}. */
    static byte[] encode(GovernorConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("capacity", config.capacity());
            g.writeStringField("expire", Durations.format(config.expire()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON to memory", e);
        }
        return out.toByteArray();
    }

    /** Reads a {@code config} value; other fields are ignored, so that later versions may add some. */
    static GovernorConfig decode(String governor, byte[] value) {
        Integer capacity = null;
        Duration expire = null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if (field.equals("capacity") && token == JsonToken.VALUE_NUMBER_INT) {
                    capacity = p.getIntValue();
                } else if (field.equals("expire") && token == JsonToken.VALUE_STRING) {
                    expire = Durations.parse(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(governor, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(governor, "cannot read it: " + e.getMessage());
        } catch (RuntimeException e) {
            throw invalid(governor, e.getMessage());
        }
        if (capacity == null || expire == null) {
            throw invalid(governor, "it needs a whole number \"capacity\" and an \"expire\" duration");
        }
        try {
            return new GovernorConfig(capacity, expire);
        } catch (RuntimeException e) {
            throw invalid(governor, e.getMessage());
        }
    }

    private static StoreException invalid(String governor, String why) {
        return new StoreException("governor " + governor + " has an invalid config (key " + CONFIG_KEY + " of bucket "
                + BUCKET_PREFIX + governor + "): " + why);
    }
}
