package dev.ipcboot.socket.shm.internal;

/**
 * A shared-memory connection ended or failed: Closed.
 */
class ShmClosedException extends RuntimeException {

	ShmClosedException(String message) {
		super(message);
	}

}
