package dev.ipcboot.shm;

/**
 * One mapped segment of a backend: where it is, and the cross-process lock that guards
 * it.
 */
interface Segment {

	String nativeKey();

	long address();

	long size();

	/** Whether this process created the segment (rather than attached to one). */
	boolean created();

	/**
	 * Take the cross-process part of the lock; the caller already excludes its own
	 * threads.
	 */
	void lock();

	void unlock();

	/** Unmap; remove what this process created unless it persists. */
	void close(boolean persist);

}
