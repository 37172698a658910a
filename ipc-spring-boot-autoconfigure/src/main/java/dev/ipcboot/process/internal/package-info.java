/**
 * Process machinery the auto-configuration creates (the configured processes' definitions
 * and the way to build the manager and channels from them); internal: no compatibility
 * promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.process.internal;

import org.jspecify.annotations.NullMarked;
