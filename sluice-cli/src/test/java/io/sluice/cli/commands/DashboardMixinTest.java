package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardMixinTest {

    private static DashboardMixin withFlag(String token) {
        DashboardMixin mixin = new DashboardMixin();
        mixin.token = token;
        return mixin;
    }

    @Test
    void aLiteralSecretOnTheCommandLineIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> withFlag("hunter2-secret").token(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--dashboard-token takes a reference")
                .hasMessageContaining(DashboardMixin.TOKEN_ENV)
                .hasMessageNotContaining("hunter2-secret");
    }

    @Test
    void aFileReferenceIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-the-file\n");
        assertThat(withFlag("${file:" + file + "}").token("from-the-environment")).isEqualTo("from-the-file");
    }

    @Test
    void anUnreadableFileIsNamedNotGuessed(@TempDir Path dir) {
        assertThatThrownBy(() -> withFlag("${file:" + dir.resolve("missing") + "}").token(null))
                .hasMessageContaining("--dashboard-token").hasMessageContaining("no such file");
    }

    @Test
    void withoutTheFlagTheEnvironmentVariableIsUsed() {
        assertThat(withFlag(null).token("from-the-environment")).isEqualTo("from-the-environment");
        assertThat(withFlag(null).token(null)).isNull();
        assertThat(withFlag(null).token("")).isNull();
    }
}
