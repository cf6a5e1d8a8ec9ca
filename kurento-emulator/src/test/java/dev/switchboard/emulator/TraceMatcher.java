package dev.switchboard.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what the emulator sent with what KMS sent in a trace. Equal means equal once generated
 * values are set aside: every UUID must map one-to-one between recording and replay (learned as they
 * appear, so an id must be the same wherever it recurs), and timestamps, ports, ICE credentials,
 * fingerprints, SSRCs and GStreamer instance numbers only need the right form.
 */
final class TraceMatcher {

    /** How to compare a reply's {@code result.value}. */
    enum Mode {
        EXACT,
        /** KMS lists these in std::map order, i.e. sorted by random UUIDs: compare as a multiset. */
        UNORDERED,
        /** Machine-dependent values (memory, CPU, times, module lists): compare the JSON structure only. */
        SHAPE
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final List<Map.Entry<Pattern, String>> VOLATILE = List.of(
            Map.entry(Pattern.compile("o=- \\d+ \\d+ "), "o=- N N "),
            Map.entry(Pattern.compile("a=ice-ufrag:[^\\r\\n]+"), "a=ice-ufrag:X"),
            Map.entry(Pattern.compile("a=ice-pwd:[^\\r\\n]+"), "a=ice-pwd:X"),
            Map.entry(Pattern.compile("a=fingerprint:sha-256 [^\\r\\n]+"), "a=fingerprint:sha-256 X"),
            Map.entry(Pattern.compile("a=ssrc:\\d+ cname:[^\\r\\n]+"), "a=ssrc:N cname:X"),
            Map.entry(Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+) \\d{4,5} typ"), "$1 PORT typ"),
            Map.entry(Pattern.compile("m=(\\w+) \\d{4,5} "), "m=$1 PORT "),
            Map.entry(Pattern.compile("a=rtcp:\\d{4,5} "), "a=rtcp:PORT "),
            Map.entry(Pattern.compile("kms[a-z]+\\d+_kmsagnosticbin2-\\d+"), "AGNOSTICBIN"),
            Map.entry(Pattern.compile("pipeline\\d+"), "pipelineN"));

    private Map<String, String> recordedToEmitted = new HashMap<>();
    private Map<String, String> emittedToRecorded = new HashMap<>();

    /** A recorded client frame with the ids it names replaced by the emulator's. */
    String toEmitted(String recorded) {
        Matcher matcher = UUID.matcher(recorded);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, recordedToEmitted.getOrDefault(matcher.group(), matcher.group()));
        }
        return matcher.appendTail(out).toString();
    }

    String toEmittedId(String recorded) {
        return recordedToEmitted.get(recorded);
    }

    /** Null when they match (and the ids they pair up are learned), else where they differ. */
    String mismatch(JsonNode expected, JsonNode actual, Mode valueMode) {
        Map<String, String> forward = new HashMap<>(recordedToEmitted);
        Map<String, String> backward = new HashMap<>(emittedToRecorded);
        String difference = compare(expected, actual, "$", valueMode, forward, backward);
        if (difference == null) {
            recordedToEmitted = forward;
            emittedToRecorded = backward;
        }
        return difference;
    }

    private String compare(JsonNode expected, JsonNode actual, String path, Mode valueMode,
            Map<String, String> forward, Map<String, String> backward) {
        if (path.equals("$.result.value") && valueMode == Mode.SHAPE) {
            return shape(expected, actual, path);
        }
        if (path.equals("$.result.value") && valueMode == Mode.UNORDERED && expected.isArray() && actual.isArray()) {
            return unordered(expected, actual, path, forward, backward);
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected " + expected + " but was " + actual;
        }
        if (expected.isObject()) {
            List<String> expectedKeys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            String members = sameMembers(expectedKeys, actual, path);
            if (members != null) {
                return members;
            }
            for (String key : expectedKeys) {
                String difference = compare(expected.get(key), actual.get(key), path + "." + key, valueMode, forward, backward);
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                return path + ": expected " + expected.size() + " items but got " + actual.size() + ": " + actual;
            }
            for (int i = 0; i < expected.size(); i++) {
                String difference = compare(expected.get(i), actual.get(i), path + "[" + i + "]", valueMode, forward, backward);
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (expected.isTextual()) {
            return text(expected.asText(), actual.asText(), path, forward, backward);
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
    }

    private String text(String expected, String actual, String path, Map<String, String> forward, Map<String, String> backward) {
        if (path.endsWith(".timestampMillis")) {
            return actual.matches("\\d{13}") ? null : path + ": not a timestamp: " + actual;
        }
        List<String> expectedIds = uuids(expected);
        List<String> actualIds = uuids(actual);
        if (expectedIds.size() != actualIds.size()) {
            return path + ": expected " + quote(expected) + " but was " + quote(actual);
        }
        for (int i = 0; i < expectedIds.size(); i++) {
            String recorded = expectedIds.get(i);
            String emitted = actualIds.get(i);
            String known = forward.get(recorded);
            String knownBack = backward.get(emitted);
            if ((known != null && !known.equals(emitted)) || (knownBack != null && !knownBack.equals(recorded))) {
                return path + ": id " + recorded + " was " + known + " before, now " + emitted;
            }
            forward.put(recorded, emitted);
            backward.put(emitted, recorded);
        }
        String normalizedExpected = normalize(UUID.matcher(expected).replaceAll("UUID"));
        String normalizedActual = normalize(UUID.matcher(actual).replaceAll("UUID"));
        return normalizedExpected.equals(normalizedActual) ? null
                : path + ": expected " + quote(expected) + " but was " + quote(actual) + firstDifference(normalizedExpected, normalizedActual);
    }

    private static String unordered(JsonNode expected, JsonNode actual, String path, Map<String, String> forward, Map<String, String> backward) {
        List<String> wanted = new ArrayList<>();
        expected.forEach(item -> wanted.add(item.asText()));
        List<String> got = new ArrayList<>();
        for (JsonNode item : actual) {
            Matcher matcher = UUID.matcher(item.asText());
            StringBuilder recorded = new StringBuilder();
            while (matcher.find()) {
                String original = backward.get(matcher.group());
                if (original == null) {
                    return path + ": " + matcher.group() + " is not an id seen before in the replay";
                }
                matcher.appendReplacement(recorded, original);
            }
            got.add(matcher.appendTail(recorded).toString());
        }
        return wanted.stream().sorted().toList().equals(got.stream().sorted().toList()) ? null
                : path + ": expected the items " + wanted + " in any order but got " + got;
    }

    /** The difference in member names of two objects, or null when they have the same members. */
    private static String sameMembers(List<String> expectedKeys, JsonNode actual, String path) {
        List<String> actualKeys = new ArrayList<>();
        actual.fieldNames().forEachRemaining(actualKeys::add);
        return expectedKeys.stream().sorted().toList().equals(actualKeys.stream().sorted().toList()) ? null
                : path + ": expected members " + expectedKeys + " but were " + actualKeys;
    }

    private static String shape(JsonNode expected, JsonNode actual, String path) {
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected something like " + expected + " but was " + actual;
        }
        if (expected.isObject()) {
            List<String> expectedKeys = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            String members = sameMembers(expectedKeys, actual, path);
            if (members != null) {
                return members;
            }
            for (String key : expectedKeys) {
                String difference = shape(expected.get(key), actual.get(key), path + "." + key);
                if (difference != null) {
                    return difference;
                }
            }
        } else if (expected.isArray() && !expected.isEmpty()) {
            for (Iterator<JsonNode> it = actual.elements(); it.hasNext(); ) {
                String difference = shape(expected.get(0), it.next(), path + "[]");
                if (difference != null) {
                    return difference;
                }
            }
        }
        return null;
    }

    static String normalize(String text) {
        String result = text;
        for (Map.Entry<Pattern, String> rule : VOLATILE) {
            result = rule.getKey().matcher(result).replaceAll(rule.getValue());
        }
        return result;
    }

    private static List<String> uuids(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = UUID.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "\"";
    }

    private static String firstDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 60);
        return "\n  first difference at " + i + ":\n  expected ..." + expected.substring(from, Math.min(expected.length(), i + 60))
                + "\n  actual   ..." + actual.substring(from, Math.min(actual.length(), i + 60));
    }
}
