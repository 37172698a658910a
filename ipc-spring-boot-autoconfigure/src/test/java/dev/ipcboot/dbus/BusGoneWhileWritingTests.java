package dev.ipcboot.dbus;

import java.io.IOException;

import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MessageFactory;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.MethodReturn;
import org.freedesktop.dbus.spi.message.IMessageWriter;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The bus goes away while the starter's writer (the socket provider dbus-java uses)
 * writes, on a real Unix socket pair. A reply whose write fails must not fail: dbus-java
 * would answer that failure by writing an error through a transport its reading thread
 * has already cleared, a {@code NullPointerException} on its sending thread
 * ({@code DBusReconnectionTests} failed on it about once in 50 runs: the test killed the
 * daemon right after busctl had its reply, and the reading thread's disconnect
 * interrupted the sending thread before its write had returned). A call still fails, so
 * that its caller gets an error at once.
 */
class BusGoneWhileWritingTests {

	private final MessageFactory factory = new MessageFactory((byte) 'l');

	@Test
	void replyWhoseWriteIsInterruptedByTheDisconnectIsDroppedAndTheChannelClosedInsteadOfFailing() throws Exception {
		try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
			IMessageWriter writer = new StandardErrorSocketProvider().createWriter(pair.getSocket1());
			MethodReturn reply = reply();
			// what ExecutorService.shutdownNow in dbus-java's disconnect does to the
			// sending thread
			Thread.currentThread().interrupt();
			try {
				assertThatNoException().as("writing a reply while the connection goes down")
					.isThrownBy(() -> writer.writeMessage(reply));
			}
			finally {
				Thread.interrupted();
			}
			assertThat(pair.getSocket1().isOpen()).as("the connection's channel").isFalse();
		}
	}

	@Test
	void replyToAPeerWhoseEndIsClosedIsDroppedInsteadOfFailing() throws Exception {
		try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
			IMessageWriter writer = new StandardErrorSocketProvider().createWriter(pair.getSocket1());
			pair.getSocket2().close();
			assertThatNoException().as("writing a reply to a bus that is gone").isThrownBy(() -> {
				for (int i = 0; i < 3; i++) {
					// the first write may still land in the socket buffer
					writer.writeMessage(reply());
				}
			});
			assertThat(pair.getSocket1().isOpen()).isFalse();
		}
	}

	@Test
	void callWhoseWriteIsInterruptedStillFailsWithAMessageSoThatItsCallerGetsAnError() throws Exception {
		try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
			IMessageWriter writer = new StandardErrorSocketProvider().createWriter(pair.getSocket1());
			Message call = call();
			Thread.currentThread().interrupt();
			try {
				assertThatIOException().isThrownBy(() -> writer.writeMessage(call))
					.withMessageContaining("Could not write to the bus");
			}
			finally {
				Thread.interrupted();
			}
		}
	}

	private MethodCall call() throws IOException {
		try {
			return this.factory.createMethodCall(":1.7", ":1.0", "/dev/ipcboot/Desk", "dev.ipcboot.test.Desk", "Status",
					(byte) 0, null);
		}
		catch (org.freedesktop.dbus.exceptions.DBusException ex) {
			throw new IOException(ex);
		}
	}

	private MethodReturn reply() throws IOException {
		try {
			return this.factory.createMethodReturn(call(), "s", "open, 0 orders");
		}
		catch (org.freedesktop.dbus.exceptions.DBusException ex) {
			throw new IOException(ex);
		}
	}

}
