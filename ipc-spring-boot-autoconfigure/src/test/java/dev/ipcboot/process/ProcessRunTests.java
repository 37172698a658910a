package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ProcessManager#run}: run to the end, capture bounded output, and kill the whole
 * tree when the timeout passes.
 */
class ProcessRunTests {

	private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	@Test
	void runReturnsTheExitCodeAndBothStreams() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("both", "sh", "-c", "echo out; echo err >&2; exit 3"), TEN_SECONDS);
			assertThat(result.exitCode()).isEqualTo(3);
			assertThat(result.exitStatus()).isEqualTo(ExitStatus.NORMAL);
			assertThat(result.stdoutText()).isEqualTo("out\n");
			assertThat(result.stderrText()).isEqualTo("err\n");
			assertThat(result.timedOut()).isFalse();
			assertThat(result.truncated()).isFalse();
			assertThat(result.succeeded()).isFalse();
			assertThat(result.pid()).isPositive();
		});
	}

	@Test
	void bytesGivenForStdinAreWhatTheChildReads() {
		byte[] input = new byte[3 * 1024 * 1024];
		Arrays.fill(input, (byte) 'a');
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("count", "wc", "-c"), input, TEN_SECONDS, 1024);
			assertThat(result.stdoutText().trim()).isEqualTo(Integer.toString(input.length));
			assertThat(result.succeeded()).isTrue();
		});
	}

	@Test
	void outputAboveTheLimitIsCutAndTheChildStillRunsToItsEnd() {
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("big", "sh", "-c", "head -c 5000000 /dev/zero; echo done >&2"), null, TEN_SECONDS,
						1000);
			assertThat(result.stdout()).hasSize(1000);
			assertThat(result.truncated()).isTrue();
			assertThat(result.stderr()).asString(StandardCharsets.UTF_8).isEqualTo("done\n");
			assertThat(result.succeeded()).isTrue();
		});
	}

	@Test
	void timeoutKillsTheChildAndEveryDescendant() {
		ProcessTestSupport.runner().run((context) -> {
			// a grandchild in the child's group, and one that leaves it with setsid
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("tree", "sh", "-c",
						"sleep 300 & echo $!; setsid sleep 301 & echo $!; sh -c 'sleep 302 & echo $!; wait' & wait"),
						Duration.ofSeconds(2));
			assertThat(result.timedOut()).isTrue();
			assertThat(result.exitStatus()).isEqualTo(ExitStatus.CRASHED);
			assertThat(result.exitSignal()).isEqualTo(9);
			List<Long> pids = result.stdoutText().lines().map(Long::parseLong).toList();
			assertThat(pids).hasSize(3);
			assertThat(ProcessTestSupport.isLive(result.pid())).isFalse();
			await().untilAsserted(() -> assertThat(pids).noneMatch(ProcessTestSupport::isLive));
		});
	}

	@Test
	void closingTheContextKillsARunInProgress() throws Exception {
		ProcessTestSupport.runner().run((context) -> {
			ProcessManager manager = context.getBean(ProcessManager.class);
			Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
			CompletableFuture<ProcessResult> result = CompletableFuture
				.supplyAsync(() -> manager.run(ProcessSpec.of("long", "sleep", "300"), Duration.ofMinutes(5)));
			long pid = await()
				.until(() -> ProcessHandle.current()
					.children()
					.map(ProcessHandle::pid)
					.filter((child) -> !before.contains(child))
					.findFirst(), Optional::isPresent)
				.get();
			context.close();
			assertThat(result.get(10, TimeUnit.SECONDS).timedOut()).isTrue();
			assertThat(ProcessTestSupport.isLive(pid)).isFalse();
			// the launcher's thread may still be ending for a moment after its pool's
			// termination let the close return
			await().untilAsserted(() -> assertThat(OurThreads.alive("ipc-process")).isEmpty());
		});
	}

	@Test
	void nonPositiveTimeoutIsRefusedNamingTheProcess() {
		ProcessTestSupport.runner().run((context) -> {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(
						() -> context.getBean(ProcessManager.class).run(ProcessSpec.of("never", "true"), Duration.ZERO))
				.withMessageContaining("'never'")
				.withMessageContaining("must be positive");
		});
	}

	@Test
	void missingProgramFailsTheRunWithTheStartException() {
		ProcessTestSupport.runner().run((context) -> {
			assertThatExceptionOfType(ProcessStartException.class)
				.isThrownBy(() -> context.getBean(ProcessManager.class)
					.run(ProcessSpec.of("ghost", "no-such-program-4711"), TEN_SECONDS))
				.withMessageContaining("no-such-program-4711");
		});
	}

}
