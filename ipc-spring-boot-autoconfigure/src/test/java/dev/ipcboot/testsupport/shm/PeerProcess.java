package dev.ipcboot.testsupport.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process spoken to one line at a time: the {@link IpcPeer} JVM, or a Python
 * script. Lines it prints are queued so that tests can wait for them with a timeout; its
 * stderr goes to a file and is shown when an expected line does not come.
 */
public final class PeerProcess implements AutoCloseable {

	private final Process process;

	private final Writer stdin;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private final Path stderr;

	private PeerProcess(List<String> command) {
		try {
			this.stderr = java.nio.file.Files.createTempFile("ipc-peer", ".err");
			this.process = new ProcessBuilder(command).redirectError(this.stderr.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.stdin = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = out.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				this.lines.add("EOF " + ex);
			}
		}, "test-peer-reader");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Start an {@link IpcPeer} JVM from the test class path.
	 * @return the peer, once it said READY
	 */
	public static PeerProcess java() {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), IpcPeer.class.getName()));
		PeerProcess peer = new PeerProcess(command);
		peer.expect("READY");
		return peer;
	}

	/**
	 * Start a Python program.
	 * @param python the interpreter
	 * @param script the program text
	 * @param args its arguments
	 * @return the peer
	 */
	public static PeerProcess python(String python, String script, String... args) {
		List<String> command = new ArrayList<>(List.of(python, "-u", "-c", script));
		command.addAll(List.of(args));
		return new PeerProcess(command);
	}

	/**
	 * Send a command and return the answer, failing unless it starts with OK.
	 * @param command the line
	 * @return the text after {@code OK }
	 */
	public String call(String command) {
		send(command);
		String answer = next();
		if (!answer.startsWith("OK")) {
			throw new AssertionError("Peer answered '" + answer + "' to '" + command + "'" + errors());
		}
		return answer.length() > 3 ? answer.substring(3) : "";
	}

	/**
	 * Send one line.
	 * @param line the line
	 */
	public void send(String line) {
		try {
			this.stdin.write(line + "\n");
			this.stdin.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wait for the next line, up to 20 seconds.
	 * @return the line
	 */
	public String next() {
		try {
			String line = this.lines.poll(20, TimeUnit.SECONDS);
			if (line == null) {
				throw new AssertionError("Peer said nothing for 20 s" + errors());
			}
			return line;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Wait for a line and check it.
	 * @param expected the exact line
	 */
	public void expect(String expected) {
		String line = next();
		if (!line.equals(expected)) {
			throw new AssertionError("Peer said '" + line + "', expected '" + expected + "'" + errors());
		}
	}

	/**
	 * Lines said so far and not yet taken.
	 * @return whether a line is waiting
	 */
	public boolean hasOutput() {
		return !this.lines.isEmpty();
	}

	/**
	 * The process.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	/**
	 * Ask the peer to leave normally (the line {@code exit}) and wait until it has.
	 */
	public void exit() {
		send("exit");
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				throw new AssertionError("Peer did not exit within 20 s" + errors());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Kill the process with SIGKILL and wait for it to be gone.
	 */
	public void kill9() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String errors() {
		try {
			return "; its stderr: " + java.nio.file.Files.readString(this.stderr);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() {
		kill9();
		try {
			java.nio.file.Files.deleteIfExists(this.stderr);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
