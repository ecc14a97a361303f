package io.sluice.servers.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Properties;

/**
 * User names and passwords for the test broker, from {@code <home>/conf/users.properties} ({@code user=password},
 * written 0600 by the launcher): HiveMQ CE has no file authentication of its own, only its extension SDK, so this
 * is that extension, embedded. A CONNECT with an unknown user or a wrong password gets reason code 0x86 (bad user
 * name or password), as a real broker answers.
 */
final class PasswordFileAuth implements ExtensionMain {
    private final Properties users;

    private PasswordFileAuth(Properties users) {
        this.users = users;
    }

    static EmbeddedExtension extension(Properties users) {
        return EmbeddedExtension.builder().withId("sluice-password-file").withName("Sluice password file")
                .withVersion("1").withAuthor("sluice").withPriority(1000).withStartPriority(1000)
                .withExtensionMain(new PasswordFileAuth(users)).build();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(provider -> (SimpleAuthenticator) (auth, result) -> {
            String user = auth.getConnectPacket().getUserName().orElse(null);
            String expected = user == null ? null : users.getProperty(user);
            byte[] given = auth.getConnectPacket().getPassword().map(PasswordFileAuth::bytes).orElse(new byte[0]);
            if (expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given)) {
                result.authenticateSuccessfully();
            } else {
                result.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
        });
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
