package dev.ipcboot.socket.shm.internal;

/**
 * A shared-memory connection ended or failed: Corrupt.
 */
class ShmCorruptException extends RuntimeException {

	ShmCorruptException(String message) {
		super(message);
	}

}
