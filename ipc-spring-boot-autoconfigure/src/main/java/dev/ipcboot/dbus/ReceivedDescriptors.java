package dev.ipcboot.dbus;

/**
 * The descriptors one underlying connection received. The transport closes them by number
 * when the connection closes, so handles must stop touching their numbers from then on;
 * both sides synchronise on this object.
 */
final class ReceivedDescriptors {

	private boolean closed;

	DBusFileDescriptor handle(int fd) {
		return new DBusFileDescriptor(fd, this);
	}

	synchronized boolean isClosed() {
		return this.closed;
	}

	synchronized void connectionClosing() {
		this.closed = true;
	}

}
