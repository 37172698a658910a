/**
 * The observability SPI every facility records and reports through: the metrics facade
 * ({@link dev.ipcboot.internal.IpcMetrics} and its per-channel, per-D-Bus-method and
 * per-invocation meters, with no-op defaults) and the resources that feed health and the
 * {@code ipc} endpoint ({@link dev.ipcboot.internal.IpcResource},
 * {@link dev.ipcboot.internal.IpcResourceSource}); internal: no compatibility promise,
 * see ADR 0019. Its Micrometer implementation is in {@code internal.metrics}.
 */
@NullMarked
package dev.ipcboot.internal;

import org.jspecify.annotations.NullMarked;
