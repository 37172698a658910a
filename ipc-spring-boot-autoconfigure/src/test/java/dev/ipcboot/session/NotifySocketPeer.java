package dev.ipcboot.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ipcboot.testsupport.Tools;

/**
 * Stands in for systemd's end of {@code NOTIFY_SOCKET}: a Python process binds a Unix
 * datagram socket at a path or, for {@code @name}, in the abstract namespace with the
 * exact name length as systemd does, and prints every datagram it receives on a line of
 * its own.
 */
final class NotifySocketPeer implements AutoCloseable {

	private static final String SCRIPT = """
			import socket, sys
			address = sys.argv[1]
			sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			sock.bind('\\0' + address[1:] if address.startswith('@') else address)
			print('BOUND', flush=True)
			while True:
			    data = sock.recv(65536)
			    print(data.decode('utf-8').replace('\\n', '|'), flush=True)
			""";

	private final Process process;

	private final List<Datagram> received = new CopyOnWriteArrayList<>();

	private final CountDownLatch bound = new CountDownLatch(1);

	private NotifySocketPeer(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "test-notify-peer");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Bind the socket and wait until it is bound.
	 * @param address an absolute path or {@code @name}
	 * @return the peer
	 */
	static NotifySocketPeer bind(String address) throws IOException, InterruptedException {
		String python = Tools.requirePythonModule("socket", "python3");
		Process process = new ProcessBuilder(python, "-c", SCRIPT, address).redirectErrorStream(true).start();
		NotifySocketPeer peer = new NotifySocketPeer(process);
		if (!peer.bound.await(30, TimeUnit.SECONDS)) {
			peer.close();
			throw new AssertionError(
					"The notify socket peer did not bind " + address + "; it printed " + peer.received);
		}
		return peer;
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.equals("BOUND")) {
					this.bound.countDown();
				}
				else {
					this.received.add(new Datagram(System.nanoTime(), line));
				}
			}
		}
		catch (IOException ex) {
			// the peer was closed
		}
	}

	/**
	 * The datagrams received so far, newlines inside a datagram shown as {@code |}.
	 * @return the texts in order of arrival
	 */
	List<String> messages() {
		return this.received.stream().map(Datagram::text).toList();
	}

	/**
	 * The times between consecutive datagrams with this text.
	 * @param text for example {@code WATCHDOG=1}
	 * @return the intervals
	 */
	List<Duration> intervalsOf(String text) {
		List<Long> times = this.received.stream().filter((d) -> d.text().equals(text)).map(Datagram::nanos).toList();
		return java.util.stream.IntStream.range(1, times.size())
			.mapToObj((i) -> Duration.ofNanos(times.get(i) - times.get(i - 1)))
			.toList();
	}

	long count(String text) {
		return this.received.stream().filter((d) -> d.text().equals(text)).count();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	private record Datagram(long nanos, String text) {
	}

}
