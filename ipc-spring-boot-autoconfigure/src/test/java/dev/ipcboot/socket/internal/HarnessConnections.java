package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many client ends of local connections held by another process (Debian's Python), so
 * that the server's process has the open-file limit to itself: it connects {@code count}
 * times, sends the same bytes on each connection, prints {@code CONNECTED <n>}, and then
 * answers each line {@code count} with {@code OPEN <connections the server has not
 * closed>}. It closes everything and exits when its standard input ends.
 */
final class HarnessConnections implements AutoCloseable {

	private static final String SCRIPT = """
			import os, resource, select, socket, sys
			soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
			resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
			path, count, data = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
			address = '\\0' + path[1:] if path.startswith('@') else path
			sockets = []
			for i in range(count):
			    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			    # blocking: a full accept backlog makes connect wait, not fail with EAGAIN
			    s.connect(address)
			    if data:
			        try:
			            s.sendall(data)
			        except OSError:
			            pass
			    sockets.append(s)
			print('CONNECTED %d' % len(sockets), flush=True)
			closed = set()
			def still_open():
			    poller = select.poll()
			    byfd = {}
			    for s in sockets:
			        if s.fileno() in closed:
			            continue
			        byfd[s.fileno()] = s
			        poller.register(s.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
			    for fd, events in poller.poll(0):
			        s = byfd[fd]
			        try:
			            if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b'':
			                closed.add(fd)
			        except BlockingIOError:
			            pass
			        except OSError:
			            closed.add(fd)
			    return len(sockets) - len(closed)
			for line in sys.stdin:
			    if line.strip() == 'count':
			        print('OPEN %d' % still_open(), flush=True)
			for s in sockets:
			    s.close()
			""";

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private HarnessConnections(Process process) {
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = out.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				this.lines.add("FAILED " + ex);
			}
		}, "harness-connections-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Open the connections and wait until all are connected.
	 * @param dir where the script is written
	 * @param asUser a command prefix such as {@code setpriv ...}, or empty
	 * @param path the server's socket path ({@code @name} for the abstract namespace)
	 * @param count how many connections
	 * @param data the bytes each connection sends once (may be empty)
	 */
	static HarnessConnections open(Path dir, List<String> asUser, String path, int count, byte[] data)
			throws IOException {
		String python = Tools.requirePythonModule("socket", "python3");
		Path script = dir.resolve("harness_connections.py");
		Files.writeString(script, SCRIPT);
		script.toFile().setReadable(true, false);
		List<String> command = new ArrayList<>(asUser);
		command
			.addAll(List.of(python, script.toString(), path, Integer.toString(count), HexFormat.of().formatHex(data)));
		HarnessConnections connections = new HarnessConnections(
				new ProcessBuilder(command).redirectErrorStream(true).start());
		try {
			await().atMost(Duration.ofSeconds(120))
				.until(() -> connections.lines.stream().anyMatch((line) -> line.startsWith("CONNECTED"))
						|| !connections.process.isAlive());
			assertThat(connections.lines).as("the connecting process failed").contains("CONNECTED " + count);
			return connections;
		}
		catch (RuntimeException | AssertionError ex) {
			connections.process.destroyForcibly();
			throw ex;
		}
	}

	/** How many of the connections the server has not closed. */
	int stillOpen() throws IOException {
		long before = this.lines.stream().filter((line) -> line.startsWith("OPEN")).count();
		OutputStream in = this.process.getOutputStream();
		in.write("count\n".getBytes(StandardCharsets.UTF_8));
		in.flush();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.lines.stream().filter((line) -> line.startsWith("OPEN")).count() > before
					|| !this.process.isAlive());
		List<String> open = this.lines.stream().filter((line) -> line.startsWith("OPEN")).toList();
		assertThat(open).as("the connecting process died: %s", this.lines).hasSizeGreaterThan((int) before);
		return Integer.parseInt(open.get(open.size() - 1).substring("OPEN ".length()));
	}

	@Override
	public void close() throws Exception {
		this.process.getOutputStream().close();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
