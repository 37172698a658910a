package dev.ipcboot.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

/**
 * Runs a context whose server must bind a TCP port chosen before the context starts,
 * because clients in the same context are configured with it. A port found free and
 * released can be taken by another process before the server binds it: the context is
 * then started again on another port. Prefer port 0 and reading the bound port back
 * wherever nothing needs it before the server starts.
 */
public final class TcpPorts {

	private static final int ATTEMPTS = 5;

	private TcpPorts() {
	}

	/**
	 * Runs the test in the context the runner makes for a free loopback port, again with
	 * another port while the context fails to start because its port was taken.
	 * @param runner the context for a port
	 * @param test what to do with the context that started (or failed for another reason)
	 */
	public static void runOnFreePort(IntFunction<ApplicationContextRunner> runner,
			ContextConsumer<? super AssertableApplicationContext> test) throws IOException {
		for (int attempt = 1;; attempt++) {
			boolean last = attempt == ATTEMPTS;
			AtomicBoolean taken = new AtomicBoolean();
			runner.apply(freePort()).run((context) -> {
				if (!last && portTaken(context.getStartupFailure())) {
					taken.set(true);
					return;
				}
				test.accept(context);
			});
			if (!taken.get()) {
				return;
			}
		}
	}

	private static boolean portTaken(Throwable failure) {
		// the JDK's BindException and Netty's native bind error both say so
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("Address already in use")) {
				return true;
			}
		}
		return false;
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return probe.getLocalPort();
		}
	}

}
