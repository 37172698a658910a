/**
 * System semaphores modelled on Qt's QSystemSemaphore.
 */
@NullMarked
package dev.ipcboot.semaphore;

import org.jspecify.annotations.NullMarked;
