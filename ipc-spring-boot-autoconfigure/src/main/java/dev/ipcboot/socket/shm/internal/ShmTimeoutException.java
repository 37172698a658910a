package dev.ipcboot.socket.shm.internal;

/**
 * A shared-memory connection ended or failed: Timeout.
 */
class ShmTimeoutException extends RuntimeException {

	ShmTimeoutException(String message) {
		super(message);
	}

}
