package dev.ipcboot.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.listener.IpcListener;

import static dev.ipcboot.process.ProcessTestSupport.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Output lines of configured processes reach {@link IpcListener} methods (real children).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProcessOutputTests {

	private static final String SIX_LINES = "for i in 1 2 3; do echo out$i; echo err$i >&2; done";

	@Test
	void stdoutAndStderrLinesArriveInOrderWithTheirStreamHeader() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("worker", "sh", "-c", SIX_LINES))
			.run((context) -> {
				Lines lines = context.getBean(Lines.class);
				await().untilAsserted(() -> assertThat(lines.received).hasSize(6));
				assertThat(lines.received).filteredOn((line) -> line.startsWith("stdout"))
					.containsExactly("stdout:worker:out1", "stdout:worker:out2", "stdout:worker:out3");
				assertThat(lines.received).filteredOn((line) -> line.startsWith("stderr"))
					.containsExactly("stderr:worker:err1", "stderr:worker:err2", "stderr:worker:err3");
			});
	}

	@Test
	void mergedOutputKeepsTheOrderOfBothStreamsOnStdout() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("worker", "sh", "-c", SIX_LINES))
			.withPropertyValues("ipc.processes.worker.output=merged")
			.run((context) -> {
				Lines lines = context.getBean(Lines.class);
				await().untilAsserted(() -> assertThat(lines.received).hasSize(6));
				assertThat(lines.received).containsExactly("stdout:worker:out1", "stdout:worker:err1",
						"stdout:worker:out2", "stdout:worker:err2", "stdout:worker:out3", "stdout:worker:err3");
			});
	}

	@Test
	void forwardedOutputGoesToTheLoggerNamedAfterTheProcess(CapturedOutput output) {
		ProcessTestSupport.runner()
			.withPropertyValues(command("worker", "sh", "-c", "echo to-the-log-4711; echo trouble-4711 >&2"))
			.withPropertyValues("ipc.processes.worker.output=forwarded", "ipc.processes.worker.restart=never")
			.run((context) -> await().untilAsserted(
					() -> assertThat(output.getAll()).containsPattern("INFO.*ipc\\.process\\.worker.*to-the-log-4711")
						.containsPattern("WARN.*ipc\\.process\\.worker.*trouble-4711")));
	}

	@Test
	void listenerOnAForwardedProcessFailsStartUpNamingTheOutputProperty() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("worker", "echo", "x"))
			.withPropertyValues("ipc.processes.worker.output=forwarded")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IpcConfigurationException.class)
				.hasMessageContaining("ipc.processes.worker.output"));
	}

	@Test
	void linesLongerThanTheMaximumAreSplit() {
		ProcessTestSupport.runner()
			.withBean(Lines.class)
			.withPropertyValues(command("worker", "sh", "-c", "echo abcdefghijklmnopqrstuvwxy; echo end"))
			.withPropertyValues("ipc.processes.worker.max-line-length=10B")
			.run((context) -> {
				Lines lines = context.getBean(Lines.class);
				await().untilAsserted(() -> assertThat(lines.received).hasSize(4));
				assertThat(lines.received).containsExactly("stdout:worker:abcdefghij", "stdout:worker:klmnopqrst",
						"stdout:worker:uvwxy", "stdout:worker:end");
			});
	}

	@Test
	void listenerReplyIsWrittenToTheProcessStandardInput() {
		ProcessTestSupport.runner()
			.withBean(Conversation.class)
			.withPropertyValues(command("worker", "sh", "-c", "echo hello; read reply; echo \"got $reply\""))
			.run((context) -> {
				Conversation conversation = context.getBean(Conversation.class);
				await().untilAsserted(() -> assertThat(conversation.received).containsExactly("hello", "got world"));
			});
	}

	@Test
	void listenerThatThrowsOnALineLeavesTheProcessAndTheFollowingLinesAlone() {
		ProcessTestSupport.runner()
			.withBean(Picky.class)
			.withPropertyValues(command("worker", "sh", "-c", "echo one; echo boom; echo two; read line; echo $line"))
			.run((context) -> {
				Picky picky = context.getBean(Picky.class);
				await().untilAsserted(() -> assertThat(picky.received).containsExactly("one", "two"));
				ManagedProcess worker = context.getBean(ProcessManager.class).find("worker").orElseThrow();
				assertThat(worker.state()).isEqualTo(ProcessState.RUNNING);
				worker.write("three\n");
				await().untilAsserted(() -> assertThat(picky.received).containsExactly("one", "two", "three"));
				assertThat(worker.waitForFinished(Duration.ofSeconds(5))).isTrue();
				assertThat(worker.exitCode()).isZero();
			});
	}

	static class Picky {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener("worker")
		void line(String line) {
			if ("boom".equals(line)) {
				throw new IllegalArgumentException("cannot handle " + line);
			}
			this.received.add(line);
		}

	}

	static class Lines {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener("worker")
		void line(String line, @Header(ProcessHeaders.STREAM) String stream,
				@Header(ProcessHeaders.NAME) String process) {
			this.received.add(stream + ":" + process + ":" + line);
		}

	}

	static class Conversation {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener("worker")
		String line(String line) {
			this.received.add(line);
			return "hello".equals(line) ? "world" : null;
		}

	}

}
