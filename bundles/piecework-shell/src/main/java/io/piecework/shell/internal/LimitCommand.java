package io.piecework.shell.internal;

import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEngine;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.text.Untrusted;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code piecework:limit}: the bandwidth limits in the Gogo shell, in KiB/s (0: unlimited).
 * <pre>
 * limit                      the engine's limits, the turtle's, and every torrent's own
 * limit DOWN UP              the engine's (its configuration, applied live)
 * limit turtle on|off        switch to the turtle pair and back
 * limit turtle DOWN UP       the turtle pair
 * limit ID DOWN UP           a torrent's own (ID: a prefix of its info-hash, as list shows)
 * </pre>
 */
@Component(service = LimitCommand.class, immediate = true, property = {
    "osgi.command.scope=piecework", "osgi.command.function=limit"})
public final class LimitCommand {
    static final String ENGINE_PID = EngineCommands.ENGINE_PID;
    private final TorrentEngine engine;
    private final ConfigurationAdmin configurations;

    @Activate
    public LimitCommand(@Reference TorrentEngine engine, @Reference ConfigurationAdmin configurations) {
        this.engine = engine;
        this.configurations = configurations;
    }

    public String limit(String... args) throws IOException {
        if (args.length == 0) {
            return show();
        }
        if (args[0].equals("turtle") && args.length == 2 && (args[1].equals("on") || args[1].equals("off"))) {
            set("turtle", args[1].equals("on"), null, null);
            return "turtle " + args[1];
        }
        if (args.length != 3 && args.length != 2) {
            throw new GogoCommands.ShellError("usage: limit | limit DOWN UP | limit turtle on|off | limit turtle DOWN UP"
                    + " | limit ID DOWN UP   (KiB/s, 0: unlimited)");
        }
        int down = kib(args[args.length - 2]);
        int up = kib(args[args.length - 1]);
        if (args.length == 2) {
            set("download.limit.kib", down, "upload.limit.kib", up);
            return "engine: " + down + " KiB/s down, " + up + " KiB/s up (0: unlimited)";
        }
        if (args[0].equals("turtle")) {
            set("turtle.download.limit.kib", down, "turtle.upload.limit.kib", up);
            return "turtle: " + down + " KiB/s down, " + up + " KiB/s up";
        }
        TorrentHandle t = find(args[0]);
        t.rateLimits(new RateLimits(down * 1024L, up * 1024L));
        return Untrusted.text(t.stats().name()) + ": " + down + " KiB/s down, " + up + " KiB/s up";
    }

    private String show() throws IOException {
        Dictionary<String, Object> p = configurations.getConfiguration(ENGINE_PID, null).getProperties();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "engine: %s down, %s up; turtle (%s): %s down, %s up%n", shown(p, "download.limit.kib", "0"),
                shown(p, "upload.limit.kib", "0"), "true".equals(shown(p, "turtle", "false")) ? "on" : "off",
                shown(p, "turtle.download.limit.kib", "50"), shown(p, "turtle.upload.limit.kib", "50")));
        for (TorrentHandle t : engine.torrents()) {
            RateLimits l = t.rateLimits();
            if (!l.equals(RateLimits.UNLIMITED)) {
                out.append(String.format(Locale.ROOT, "%s %s: %d down, %d up%n", t.infoHash().hex().substring(0, 8),
                        Untrusted.text(t.stats().name()), l.downloadBytesPerSecond() / 1024, l.uploadBytesPerSecond() / 1024));
            }
        }
        return out.append("(KiB/s, 0: unlimited)").toString();
    }

    private static String shown(Dictionary<String, Object> p, String key, String otherwise) {
        Object v = p == null ? null : p.get(key);
        return v == null ? otherwise : String.valueOf(v);
    }

    /** Sets one or two properties of the engine's configuration, keeping the others. */
    private void set(String key, Object value, String key2, Object value2) throws IOException {
        Configuration c = configurations.getConfiguration(ENGINE_PID, null);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        props.put(key, value);
        if (key2 != null) {
            props.put(key2, value2);
        }
        c.update(props);
    }

    static int kib(String text) {
        try {
            int kib = Integer.parseInt(text);
            if (kib >= 0 && kib <= Integer.MAX_VALUE / 1024) {
                return kib;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new GogoCommands.ShellError("bad rate '" + Untrusted.text(text) + "': give KiB/s, 0 or more (0: unlimited)");
    }

    private TorrentHandle find(String id) {
        if (!id.matches("[0-9a-fA-F]{1,40}")) {
            throw new GogoCommands.ShellError("bad ID '" + Untrusted.text(id) + "': give a prefix of the info-hash in hex");
        }
        return engine.find(id.toLowerCase(Locale.ROOT)).orElseThrow(() -> new GogoCommands.ShellError(
                "no torrent, or more than one, has an info-hash starting with " + id));
    }
}
