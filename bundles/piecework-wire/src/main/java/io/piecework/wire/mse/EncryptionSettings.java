package io.piecework.wire.mse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The session's message stream encryption policy, under its own PID so that changing it
 * applies to the next connections (through {@link Modified}) without restarting the transport
 * and its listening socket, as a change of the transport's own configuration does.
 */
@Component(service = EncryptionSettings.class, configurationPid = EncryptionSettings.PID)
@Designate(ocd = EncryptionSettings.Config.class)
public final class EncryptionSettings {
    public static final String PID = "io.piecework.wire.encryption";

    @ObjectClassDefinition(name = "Piecework message stream encryption",
            description = "MSE/PE (RC4 over a Diffie-Hellman handshake) for peer connections")
    public @interface Config {
        @AttributeDefinition(description = "disabled: plaintext only; prefer_plaintext: dial plaintext first, "
                + "accept both; prefer_encrypted: dial encrypted first, accept both; forced: RC4 only, both ways. "
                + "A failed dial is retried the other way unless disabled or forced.",
                options = {@Option(label = "disabled", value = "disabled"),
                        @Option(label = "prefer plaintext", value = "prefer_plaintext"),
                        @Option(label = "prefer encrypted", value = "prefer_encrypted"),
                        @Option(label = "forced", value = "forced")})
        String policy() default "prefer_plaintext";
    }

    private volatile MsePolicy policy;

    @Activate
    public EncryptionSettings(Config config) {
        modified(config);
    }

    @Modified
    public void modified(Config config) {
        policy = MsePolicy.parse(config.policy());
    }

    public MsePolicy policy() {
        return policy;
    }
}
