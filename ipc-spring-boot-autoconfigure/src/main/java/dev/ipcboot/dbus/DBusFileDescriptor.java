package dev.ipcboot.dbus;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.ipcboot.internal.natives.FileDescriptors;

/**
 * A UNIX file descriptor received in a D-Bus reply (type {@code h}), such as a logind
 * inhibitor lock. The descriptor belongs to the connection that received it: the
 * transport closes it when that connection closes. {@link #close()} releases it earlier
 * without letting its number be closed twice: the number is pointed at {@code /dev/null}
 * until the connection closes it.
 */
public final class DBusFileDescriptor implements AutoCloseable {

	private final int fd;

	private final ReceivedDescriptors owner;

	private boolean released;

	DBusFileDescriptor(int fd, ReceivedDescriptors owner) {
		this.fd = fd;
		this.owner = owner;
	}

	/**
	 * The descriptor number in this process.
	 * @return the number
	 */
	public int fd() {
		return this.fd;
	}

	/**
	 * Whether the descriptor still refers to what was received.
	 * @return {@code false} once released or once its connection closed
	 */
	public boolean isOpen() {
		synchronized (this.owner) {
			return !this.released && !this.owner.isClosed();
		}
	}

	/**
	 * Release the descriptor now. Does nothing if it was released already or its
	 * connection has closed (which closed it).
	 * @throws UncheckedIOException if the descriptor could not be released
	 * @throws IllegalStateException if JNA, which releases it, is not on the class path
	 */
	@Override
	public void close() {
		synchronized (this.owner) {
			if (this.released || this.owner.isClosed()) {
				this.released = true;
				return;
			}
			this.released = true;
			try {
				FileDescriptors.releaseInPlace(this.fd);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not release file descriptor " + this.fd
						+ " received over D-Bus; it stays open until the connection closes", ex);
			}
			catch (LinkageError ex) {
				throw new IllegalStateException("Releasing file descriptor " + this.fd
						+ " before its D-Bus connection closes needs JNA (net.java.dev.jna:jna) on the class path;"
						+ " without it the descriptor stays open until the connection closes", ex);
			}
		}
	}

	@Override
	public String toString() {
		return "DBusFileDescriptor[" + this.fd + (isOpen() ? "" : ", released") + "]";
	}

}
