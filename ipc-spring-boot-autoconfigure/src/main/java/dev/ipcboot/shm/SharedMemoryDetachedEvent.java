package dev.ipcboot.shm;

import dev.ipcboot.IpcEvent;

/**
 * Published when this process has detached from a shared memory segment (and removed it,
 * if it created it and it does not persist).
 */
public class SharedMemoryDetachedEvent extends IpcEvent {

	/**
	 * Create a new event.
	 * @param memory the segment
	 * @param name its name in configuration (or the key for segments opened at run time)
	 */
	public SharedMemoryDetachedEvent(SharedMemory memory, String name) {
		super(memory, name);
	}

	/**
	 * The segment.
	 * @return the segment
	 */
	public SharedMemory getSharedMemory() {
		return (SharedMemory) getSource();
	}

}
