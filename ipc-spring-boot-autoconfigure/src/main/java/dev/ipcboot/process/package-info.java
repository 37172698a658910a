/**
 * Supervised child processes modelled on Qt's QProcess.
 */
@NullMarked
package dev.ipcboot.process;

import org.jspecify.annotations.NullMarked;
