/**
 * Shared memory segments modelled on Qt's QSharedMemory.
 */
@NullMarked
package dev.ipcboot.shm;

import org.jspecify.annotations.NullMarked;
