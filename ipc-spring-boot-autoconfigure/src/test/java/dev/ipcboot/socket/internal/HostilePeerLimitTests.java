package dev.ipcboot.socket.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketTransport;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One local user that opens connection after connection cannot lock the others out:
 * {@code max-connections-per-peer} counts per uid, and the refusals are logged at WARN,
 * one line with a count rather than one line per refusal.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostilePeerLimitTests {

	@TempDir
	Path dir;

	@Test
	void secondUidOpeningFortyConnectionsGetsFourAndTheFirstUidStillConnects(CapturedOutput output) throws Exception {
		String setpriv = Tools.require("setpriv", "util-linux").toString();
		String ownUid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
		assertThat(ownUid).as("this test switches users with setpriv, so it runs as root").isEqualTo("0");
		Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
		// a server name no other test uses: the output capture takes the whole JVM's
		// lines
		Path path = this.dir.resolve("per-peer-echo.sock");
		Servers.echo("per-peer-echo", SocketTransport.LOCAL, Framing.LINE, this.dir)
			.withPropertyValues("ipc.servers.per-peer-echo.permissions=world",
					"ipc.servers.per-peer-echo.max-connections-per-peer=4")
			.run((context) -> {
				List<String> nobody = List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups");
				try (HarnessConnections flood = HarnessConnections.open(this.dir, nobody, path.toString(), 40,
						new byte[0])) {
					await().atMost(Duration.ofSeconds(30)).until(() -> flood.stillOpen() == 4);
					try (TestClient own = TestClient.local(path, Framing.LINE)) {
						assertThat(own.request("root is another peer")).isEqualTo("echo:root is another peer");
					}
					assertThat(flood.stillOpen()).as("the four it was allowed stay open").isEqualTo(4);
				}
			});
		List<String> refusals = LogLines.of(output).mentioning("Socket server 'per-peer-echo' refused");
		assertThat(refusals).as("36 refusals: the first at once, the rest counted in at most one more line")
			.hasSizeBetween(1, 2)
			.allSatisfy((line) -> assertThat(line).contains(" WARN ").contains("max-connections-per-peer"));
		assertThat(refusals.get(0)).contains("refused a connection from");
		if (refusals.size() == 2) {
			assertThat(refusals.get(1)).contains("refused 35 more connection(s)");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(path).doesNotExist();
	}

}
