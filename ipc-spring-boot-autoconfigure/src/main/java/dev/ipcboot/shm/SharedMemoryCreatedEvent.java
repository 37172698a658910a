package dev.ipcboot.shm;

import dev.ipcboot.IpcEvent;

/**
 * Published when this process has created a shared memory segment.
 */
public class SharedMemoryCreatedEvent extends IpcEvent {

	/**
	 * Create a new event.
	 * @param memory the segment
	 * @param name its name in configuration (or the key for segments opened at run time)
	 */
	public SharedMemoryCreatedEvent(SharedMemory memory, String name) {
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
