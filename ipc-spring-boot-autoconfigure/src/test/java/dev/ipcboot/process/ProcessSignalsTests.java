package dev.ipcboot.process;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ipcboot.internal.natives.ProcessSignals;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile peer: a descendant found while stopping a child, then gone, its pid taken by a
 * stranger ({@code nobody}) before the signal is sent. The signal goes through a pidfd
 * opened before the identity check, so the stranger is never hit.
 */
@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
@Tag("hostile")
class ProcessSignalsTests {

	@Test
	void kernelHasPidfds() {
		assertThat(ProcessSignals.hasPidfd()).as("pidfd_open on kernel " + System.getProperty("os.version")).isTrue();
	}

	@Test
	void processFoundEarlierIsSignalledWhileItIsStillThatProcess() throws Exception {
		Process sleeper = new ProcessBuilder("sleep", "300").start();
		ProcessHandle found = sleeper.toHandle();
		assertThat(Descendants.signal(found, ChildProcess.SIGKILL)).isTrue();
		assertThat(sleeper.waitFor()).isEqualTo(128 + ChildProcess.SIGKILL);
	}

	@Test
	void strangerThatReusedThePidOfAProcessFoundEarlierIsNotSignalled() throws Exception {
		Tools.requireRoot("forces a pid with /proc/sys/kernel/ns_last_pid and runs a stranger as nobody");
		Process sleeper = new ProcessBuilder("sleep", "300").start();
		ProcessHandle found = ProcessHandle.of(sleeper.pid()).orElseThrow();
		sleeper.destroyForcibly().waitFor();
		long stranger = Strangers.startWithPid(found.pid());
		try {
			assertThat(stranger).as("the stranger got pid " + found.pid() + " (ns_last_pid)").isEqualTo(found.pid());
			assertThat(Descendants.signal(found, ChildProcess.SIGKILL)).isFalse();
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(2))
				.until(() -> ProcessTestSupport.isLive(stranger));
		}
		finally {
			ProcessHandle.of(stranger).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

}
