package io.piecework.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final Set<String> VALUED = Set.of("-o", "--tracker");
    private static final Set<String> FLAGS = Set.of("--private");

    private static Args parse(String... args) throws CliException {
        return Args.parse(List.of(args), VALUED, FLAGS);
    }

    @Test
    void separatesOperandsOptionsAndFlags() throws CliException {
        Args a = parse("dir", "-o", "out.torrent", "--private", "--tracker", "http://a", "--tracker=http://b");
        assertEquals("dir", a.operand("PATH"));
        assertEquals(Optional.of("out.torrent"), a.value("-o"));
        assertEquals(List.of("http://a", "http://b"), a.values("--tracker"));
        assertTrue(a.flag("--private"));
    }

    @Test
    void doubleDashEndsOptions() throws CliException {
        Args a = parse("--", "--private");
        assertEquals("--private", a.operand("PATH"));
        assertFalse(a.flag("--private"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliException e = assertThrows(CliException.class, () -> parse("--bogus"));
        assertTrue(e.usage());
        assertEquals(CliException.BAD_INPUT, e.status());
        assertEquals("unknown option --bogus", e.getMessage());
    }

    @Test
    void optionWithoutItsValueIsAUsageError() {
        assertEquals("option -o needs a value", assertThrows(CliException.class, () -> parse("x", "-o")).getMessage());
    }

    @Test
    void flagWithAValueIsAUsageError() {
        assertThrows(CliException.class, () -> parse("--private=yes"));
    }

    @Test
    void singleOperandIsEnforced() throws CliException {
        assertEquals("missing FILE", assertThrows(CliException.class, () -> parse().operand("FILE")).getMessage());
        assertEquals("too many arguments", assertThrows(CliException.class, () -> parse("a", "b").operand("FILE")).getMessage());
    }

    @Test
    void singleValuedOptionGivenTwiceIsAUsageError() {
        assertThrows(CliException.class, () -> parse("-o", "a", "-o", "b").value("-o"));
    }
}
