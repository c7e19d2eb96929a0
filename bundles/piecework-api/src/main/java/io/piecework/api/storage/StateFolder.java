package io.piecework.api.storage;

import java.nio.file.Path;

/**
 * The per-user folder for state that should outlive a restart but is not the user's data
 * (the XDG base directory rules): resume records, the persistent session, the daemon's log.
 * One rule for every bundle and the launcher, so they all agree on where it is.
 */
public final class StateFolder {
    /** Same meaning as {@code XDG_STATE_HOME}, and wins over it: lets tests and scripts move it. */
    public static final String STATE_HOME_PROPERTY = "piecework.state.home";

    private StateFolder() {
    }

    /**
     * {@code $XDG_STATE_HOME/piecework}, by default {@code ~/.local/state/piecework}; the
     * {@value #STATE_HOME_PROPERTY} system property replaces {@code XDG_STATE_HOME}.
     */
    public static Path base() {
        String home = System.getProperty(STATE_HOME_PROPERTY, "");
        if (home.isBlank()) {
            String xdg = System.getenv("XDG_STATE_HOME");
            // The specification says a relative XDG_STATE_HOME is invalid and must be ignored.
            home = xdg != null && Path.of(xdg).isAbsolute() ? xdg
                    : Path.of(System.getProperty("user.home"), ".local", "state").toString();
        }
        return Path.of(home, "piecework").toAbsolutePath().normalize();
    }
}
