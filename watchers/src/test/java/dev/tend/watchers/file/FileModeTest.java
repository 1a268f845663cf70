package dev.tend.watchers.file;

import org.junit.jupiter.api.Test;

import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileModeTest {

    private static String parsed(String mode) {
        return PosixFilePermissions.toString(FileMode.parse(mode));
    }

    @Test
    void modesAreOctalWithOrWithoutALeadingZero() {
        assertThat(parsed("0644")).isEqualTo("rw-r--r--");
        assertThat(parsed("644")).as("not decimal 644, the reference's trap").isEqualTo("rw-r--r--");
        assertThat(parsed("0o755")).isEqualTo("rwxr-xr-x");
        assertThat(parsed(" 600 ")).isEqualTo("rw-------");
        assertThat(parsed("0")).isEqualTo("---------");
        assertThat(parsed("00777")).isEqualTo("rwxrwxrwx");
        assertThat(parsed("0421")).isEqualTo("r---w---x");
    }

    @Test
    void anythingElseIsRefusedWithItsText() {
        assertThatThrownBy(() -> FileMode.parse("")).hasMessage("mode is empty; use an octal mode such as \"0644\"");
        assertThatThrownBy(() -> FileMode.parse("0x1ed"))
                .hasMessage("mode \"0x1ed\" is not an octal mode such as \"0644\"");
        assertThatThrownBy(() -> FileMode.parse("689")).hasMessage("mode \"689\" is not an octal mode such as \"0644\"");
        assertThatThrownBy(() -> FileMode.parse("rw-r--r--"))
                .hasMessage("mode \"rw-r--r--\" is not an octal mode such as \"0644\"");
        assertThatThrownBy(() -> FileMode.parse("4755")).hasMessage("mode \"4755\": setuid, setgid and sticky bits are "
                + "not supported; use the permission bits only, e.g. \"0755\"");
        assertThatThrownBy(() -> FileMode.parse("77777")).hasMessage("mode \"77777\" is larger than 7777");
        assertThatThrownBy(() -> FileMode.parse("0644755")).hasMessage("mode \"0644755\" is not an octal mode such as "
                + "\"0644\"");
    }
}
