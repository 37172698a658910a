/**
 * The listener machinery the auto-configuration creates (the {@code @IpcListener} bean
 * post-processor); internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.listener.internal;

import org.jspecify.annotations.NullMarked;
