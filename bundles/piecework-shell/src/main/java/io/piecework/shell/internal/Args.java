package io.piecework.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line arguments split into options and operands. An option either takes a value
 * ({@code -o OUT}, {@code --tracker=URL}, repeatable) or is a flag ({@code --private});
 * {@code --} ends the options. Unknown options are usage errors.
 */
final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> operands = new ArrayList<>();

    private Args() {
    }

    static Args parse(List<String> args, Set<String> valued, Set<String> flagNames) throws CliException {
        Args a = new Args();
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!options || arg.equals("-") || !arg.startsWith("-")) {
                a.operands.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                options = false;
                continue;
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (valued.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw CliException.usage("option " + name + " needs a value");
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (flagNames.contains(name) && eq < 0) {
                a.flags.add(name);
            } else {
                throw CliException.usage("unknown option " + name);
            }
        }
        return a;
    }

    List<String> operands() {
        return operands;
    }

    /** The single operand a subcommand takes, as {@code what} in the error message. */
    String operand(String what) throws CliException {
        if (operands.size() != 1) {
            throw CliException.usage(operands.isEmpty() ? "missing " + what : "too many arguments");
        }
        return operands.get(0);
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The value of an option given at most once. */
    Optional<String> value(String name) throws CliException {
        List<String> v = values(name);
        if (v.size() > 1) {
            throw CliException.usage("option " + name + " given more than once");
        }
        return v.stream().findFirst();
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
