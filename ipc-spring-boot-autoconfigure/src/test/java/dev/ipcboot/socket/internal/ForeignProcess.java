package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a foreign client with some standard input and returns what it printed. */
final class ForeignProcess {

	private final Process process;

	private final CompletableFuture<String> output;

	private ForeignProcess(Process process) {
		this.process = process;
		this.output = CompletableFuture.supplyAsync(() -> {
			try {
				return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	static ForeignProcess start(List<String> command) throws IOException {
		return new ForeignProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
	}

	long pid() {
		return this.process.pid();
	}

	ForeignProcess input(String text) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write(text.getBytes(StandardCharsets.UTF_8));
		in.close();
		return this;
	}

	String output() throws Exception {
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			throw new AssertionError("foreign client did not finish within 30s");
		}
		return this.output.get(5, TimeUnit.SECONDS);
	}

	static String run(List<String> command, String input) throws Exception {
		return start(command).input(input).output();
	}

}
