package dev.ipcboot.semaphore;

import java.time.Duration;

/**
 * A counting semaphore shared between processes, modelled on Qt's QSystemSemaphore, with
 * a timed acquire that Qt lacks. With the System V backends a process that dies holding
 * units gives them back: the kernel undoes its acquisitions.
 *
 * <p>
 * Configured semaphores are beans qualified by their name in {@code ipc.semaphores};
 * {@link SystemSemaphoreFactory} opens more at run time.
 */
public interface SystemSemaphore extends AutoCloseable {

	/**
	 * The key that other processes use.
	 * @return the key
	 */
	String key();

	/**
	 * Take one unit, waiting as long as it takes.
	 * @throws SystemSemaphoreException if the semaphore is closed or the call fails
	 */
	void acquire();

	/**
	 * Take one unit if one becomes available within the timeout.
	 * @param timeout how long to wait; zero or negative does not wait
	 * @return whether a unit was taken
	 * @throws SystemSemaphoreException if the semaphore is closed or the call fails
	 */
	boolean tryAcquire(Duration timeout);

	/**
	 * Give back one unit.
	 * @throws SystemSemaphoreException if the semaphore is closed or the call fails
	 */
	void release();

	/**
	 * Give back {@code n} units at once.
	 * @param n how many, at least 1
	 * @throws IllegalArgumentException if n is less than 1
	 * @throws SystemSemaphoreException if the semaphore is closed or the value would
	 * overflow
	 */
	void release(int n);

	/**
	 * The current value as the operating system reports it; it may change at once.
	 * @return the number of available units
	 */
	int value();

	/**
	 * Close the semaphore; if this process created it and it does not persist, remove it
	 * (processes blocked in it wake up with an error). Further calls do nothing.
	 */
	@Override
	void close();

}
