/**
 * Shared-memory machinery the auto-configuration reaches (the factory that records
 * metrics and reports its segments); internal: no compatibility promise, see ADR 0019.
 */
@NullMarked
package dev.ipcboot.shm.internal;

import org.jspecify.annotations.NullMarked;
