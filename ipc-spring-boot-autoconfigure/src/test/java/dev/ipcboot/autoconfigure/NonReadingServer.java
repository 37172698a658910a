package dev.ipcboot.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import dev.ipcboot.socket.IpcClientTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that accepts connections (completing the TLS handshake on a TLS socket) and
 * never reads from them, so that a client's large write blocks once the socket buffers
 * are full. Calls that should time out run on a thread of its own, so that a client that
 * would hang fails the test instead.
 */
final class NonReadingServer implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final ExecutorService caller = Executors.newSingleThreadExecutor();

	NonReadingServer(ServerSocket socket) {
		this.socket = socket;
		Thread acceptor = new Thread(this::accept, "peer-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.socket.getLocalPort();
	}

	private void accept() {
		try {
			while (true) {
				Socket peer = this.socket.accept();
				this.accepted.add(peer);
				if (peer instanceof SSLSocket tls) {
					tls.startHandshake();
				}
			}
		}
		catch (IOException ex) {
			// closed at the end of the test
		}
	}

	/**
	 * Run a call that writes more than the socket buffers hold and check that it fails
	 * with an {@link IpcClientTimeoutException} within a minute.
	 * @param call the call
	 * @return that exception
	 * @throws Exception if waiting for the call failed
	 */
	IpcClientTimeoutException awaitTimeout(Call call) throws Exception {
		Future<?> result = this.caller.submit(() -> {
			call.run();
			return null;
		});
		try {
			result.get(60, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(IpcClientTimeoutException.class);
			return (IpcClientTimeoutException) ex.getCause();
		}
		throw new AssertionError("the call returned instead of timing out");
	}

	/** A call on the client. */
	interface Call {

		void run() throws Exception;

	}

	@Override
	public void close() throws IOException {
		this.caller.shutdownNow();
		this.socket.close();
		for (Socket peer : this.accepted) {
			peer.close();
		}
	}

}
