package io.piecework.rpc.transmission.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Typed, checked reads of request arguments: a wrong type is an error result, never an exception escaping. */
final class Requests {
    private Requests() {
    }

    /** Refuses arguments outside {@code known}, naming them, before anything is changed. */
    static void onlyKnown(JsonObject arguments, Set<String> known, String method) throws RpcException {
        Set<String> unknown = new TreeSet<>(arguments.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new RpcException(method + ": argument(s) not supported by Piecework: " + shown(String.join(", ", unknown))
                    + " (docs/rpc.md lists what is)");
        }
    }

    static int integer(JsonElement e, String name) throws RpcException {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new RpcException(name + " must be an integer, got " + shown(e));
        }
        try {
            return new BigDecimal(e.getAsJsonPrimitive().getAsString()).intValueExact();
        } catch (ArithmeticException | NumberFormatException x) {
            throw new RpcException(name + " must be an integer, got " + shown(e));
        }
    }

    static boolean bool(JsonObject arguments, String name, boolean otherwise) throws RpcException {
        JsonElement e = arguments.get(name);
        if (e == null || e.isJsonNull()) {
            return otherwise;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        // Older clients send 0 and 1.
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return integer(e, name) != 0;
        }
        throw new RpcException(name + " must be true or false, got " + shown(e));
    }

    static String string(JsonObject arguments, String name) throws RpcException {
        JsonElement e = arguments.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new RpcException(name + " must be a string, got " + shown(e));
        }
        return e.getAsString();
    }

    /** An absolute path; relative paths would depend on the daemon's working folder. */
    static Path absolutePath(String text, String name) throws RpcException {
        try {
            Path p = Path.of(text);
            if (!p.isAbsolute()) {
                throw new RpcException(name + " must be an absolute path, got " + shown(text));
            }
            return p.normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new RpcException(name + " is not a valid path: " + shown(text));
        }
    }

    /** An array of integers; null when absent. */
    static List<Integer> integers(JsonObject arguments, String name) throws RpcException {
        JsonElement e = arguments.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new RpcException(name + " must be an array of integers, got " + shown(e));
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            out.add(integer(x, name));
        }
        return out;
    }

    /** An array of strings; null when absent. */
    static List<String> strings(JsonObject arguments, String name) throws RpcException {
        JsonElement e = arguments.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new RpcException(name + " must be an array of strings, got " + shown(e));
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new RpcException(name + " must be an array of strings, got " + shown(x));
            }
            out.add(x.getAsString());
        }
        return out;
    }

    static JsonArray array(Iterable<Integer> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    /** Untrusted text shortened and stripped of control characters, for an error message. */
    static JsonArray stringArray(String... values) {
        JsonArray a = new JsonArray();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }

    static String shown(Object value) {
        String text = value instanceof JsonPrimitive p && p.isString() ? p.getAsString() : String.valueOf(value);
        text = text.replaceAll("\\p{Cntrl}", "?");
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
