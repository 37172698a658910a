/**
 * The application whose start-up {@link dev.ipcboot.bench.StartupComparison} measures.
 */
@NullMarked
package dev.ipcboot.bench.startup;

import org.jspecify.annotations.NullMarked;
