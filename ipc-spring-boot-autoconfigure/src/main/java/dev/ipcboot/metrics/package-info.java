/**
 * Micrometer implementation of the {@link dev.ipcboot.IpcMetrics} facade, used when
 * Micrometer is on the class path.
 */
@NullMarked
package dev.ipcboot.metrics;

import org.jspecify.annotations.NullMarked;
