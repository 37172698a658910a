/**
 * Ahead-of-time processing support: runtime hints for the application's
 * {@code @IpcListener} methods.
 */
@NullMarked
package dev.ipcboot.aot;

import org.jspecify.annotations.NullMarked;
