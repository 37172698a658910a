/**
 * Micrometer implementation of the {@link dev.ipcboot.internal.IpcMetrics} facade, used
 * when Micrometer is on the class path, and the instrumentation of listener invocations
 * and client requests with meters or observations; internal: no compatibility promise,
 * see ADR 0019.
 */
@NullMarked
package dev.ipcboot.internal.metrics;

import org.jspecify.annotations.NullMarked;
