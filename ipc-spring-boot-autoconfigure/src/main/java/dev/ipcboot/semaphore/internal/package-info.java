/**
 * Qt's key-file naming, shared by system semaphores and shared memory (a QSharedMemory is
 * locked by a QSystemSemaphore of the same key, ADR 0015); internal: no compatibility
 * promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.semaphore.internal;

import org.jspecify.annotations.NullMarked;
